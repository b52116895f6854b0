/**
 * `node --import tsx bench/attribute.ts [--node=24] [--stack=sdk3] [--calls=N] [--top=N]
 * [--callers=GetProperty,LoadIC] <args>`:
 * where a variant's instructions go against its reference's, by package and by function, JIT code
 * named (lib/attribution.ts). `<args>` are the instruction-count process's (its header lists
 * them) with one slot as `ours,reference`:
 *
 *   bench/attribute.ts hot fetch spans-on,hand-span otel
 *   bench/attribute.ts --node=24 --stack=sdk3 server listener,by-hand otel
 *   bench/attribute.ts --calls=1000 --warm-up=7000 loopback fetch spans-on,hand-span otel
 *
 * `loopback <client> <variant> <propagator>` starts a bare loopback server for each side (a
 * process of its own, not counted) and sends c = 32 (`--concurrency`); its windows are compared
 * without garbage collection, as lib/loopback-instructions.ts judges them.
 *
 * Prints instructions per call of the cheapest of four windows (V8 compiling left out of the
 * totals, listed apart in the tables), ours minus the reference, largest first. Run by hand:
 * ≈ 5–10 min.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { attributeWindow } from './lib/attribution'
import { countingUnavailable, STEADY_WINDOWS } from './lib/instructions'
import { startProcess } from './lib/ipc'
import { nodeBinary } from './lib/node-binary'
import { count, markdownTable, plusCount } from './lib/report'
import { installStack, STACK_DIR_ENV, STACKS, type StackName } from './lib/stack'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    node: { type: 'string' },
    stack: { type: 'string', default: 'sdk2' },
    calls: { type: 'string', default: '20000' },
    'warm-up': { type: 'string' },
    top: { type: 'string', default: '25' },
    callers: { type: 'string', default: '' },
    concurrency: { type: 'string', default: '32' },
    help: { type: 'boolean', default: false },
  },
})
const log = (line: string) => process.stderr.write(`${line}\n`)

if (values.help) {
  process.stdout.write(
    'node --import tsx bench/attribute.ts [--node=24] [--stack=sdk2|sdk3] [--calls=N] [--warm-up=N]\n' +
      '  [--top=N] [--callers=GetProperty,LoadIC] [--concurrency=32] <instruction-count args, one of them ours,reference>\n' +
      'e.g. bench/attribute.ts hot fetch spans-on,hand-span otel\n' +
      '     bench/attribute.ts --calls=1000 --warm-up=7000 loopback fetch spans-on,hand-span otel\n',
  )
  process.exit(0)
}
if (values.node !== undefined && Number(values.node) !== Number(process.versions.node.split('.')[0])) {
  const script = fileURLToPath(import.meta.url)
  const node = nodeBinary(Number(values.node), log)
  const { status } = spawnSync(node, ['--import', 'tsx', script, ...process.argv.slice(2)], {
    stdio: 'inherit',
  })
  process.exit(status ?? 1)
}
if (!STACKS.includes(values.stack as StackName)) throw new Error(`--stack: ${STACKS.join(' or ')}`)
const stackDir = installStack(values.stack as StackName, log)
if (stackDir) process.env[STACK_DIR_ENV] = stackDir

const pair = positionals.findIndex((arg) => arg.includes(','))
if (pair === -1)
  throw new Error('one argument must be `ours,reference` (e.g. hot fetch spans-on,hand-span otel)')
const [ours, reference] = positionals[pair]!.split(',') as [string, string]
const argsWith = (variant: string) => positionals.map((arg, i) => (i === pair ? variant : arg))
const calls = Number(values.calls)
const warmUp = Number(values['warm-up'] ?? values.calls)
const top = Number(values.top)
const callersOf = values.callers ? values.callers.split(',') : []

const unavailable = countingUnavailable()
if (unavailable) throw new Error(unavailable)
const overLoopback = positionals[0] === 'loopback'

/** One side's attribution; over loopback against a bare server of its own, started and stopped here. */
async function attributed(variant: string) {
  if (!overLoopback) return attributeWindow(argsWith(variant), warmUp, calls, callersOf)
  const server = startProcess('server.ts', ['bare', positionals[3] ?? 'otel'])
  try {
    const { port } = (await server.ready) as { port: number }
    const args = [...argsWith(variant), String(port), values.concurrency]
    return await attributeWindow(args, warmUp, calls, callersOf, { withoutGc: true })
  } finally {
    server.stop()
  }
}
const [a, b] = await Promise.all([attributed(ours), attributed(reference)])

/** One figure for both sides, and ours minus the reference. */
const side = (label: string, left: number, right: number) => [
  label,
  count(left),
  count(right),
  plusCount(left - right),
]

/** Rows of two maps side by side, by how much they differ, the `limit` largest. */
function compared(left: Map<string, number>, right: Map<string, number>, limit: number): string[][] {
  const keys = new Set([...left.keys(), ...right.keys()])
  return [...keys]
    .map((key) => ({ key, l: left.get(key) ?? 0, r: right.get(key) ?? 0 }))
    .sort((x, y) => Math.abs(y.l - y.r) - Math.abs(x.l - x.r))
    .slice(0, limit)
    .map(({ key, l, r }) => [...key.split('\u0000'), count(l), count(r), plusCount(l - r)])
}

const leftOut = `compiling${overLoopback ? ' and collecting' : ''} left out`
console.log(
  `${positionals.join(' ')}: ${STEADY_WINDOWS} windows of ${calls} calls after ${warmUp}, the cheapest; Node ${process.versions.node}, stack ${values.stack}\n`,
)
console.log(
  markdownTable(
    ['', ours, reference, 'difference'],
    [
      side(`instructions per call, ${leftOut}`, a.perCall, b.perCall),
      side('V8 compiling (left out)', a.compilePerCall, b.compilePerCall),
      ...(a.gcPerCall !== undefined && b.gcPerCall !== undefined
        ? [side('garbage collection (left out)', a.gcPerCall, b.gcPerCall)]
        : []),
      [`each window, ${leftOut}`, a.windows.map(count).join(' / '), b.windows.map(count).join(' / '), ''],
    ],
  ),
)
console.log("\nBy origin (each function's own instructions, compiling included):\n")
console.log(markdownTable(['origin', ours, reference, 'difference'], compared(a.byOrigin, b.byOrigin, 40)))
// V8's compilers are left out of the totals: listed, they would fill the table (Node 24 compiles
// on other threads, a million instructions a request over loopback after 10 000).
const COMPILING = 'V8 compiler\u0000'
const withoutCompiling = (map: Map<string, number>) =>
  new Map([...map].filter(([key]) => !key.startsWith(COMPILING)))
console.log(`\nBy function, the ${top} largest differences (V8's compilers left out):\n`)
console.log(
  markdownTable(
    ['origin', 'function', ours, reference, 'difference'],
    compared(withoutCompiling(a.byFunction), withoutCompiling(b.byFunction), top),
  ),
)
if (callersOf.length > 0) {
  console.log(`\nWho calls ${callersOf.join(', ')} (inclusive instructions a call):\n`)
  console.log(
    markdownTable(['callee ← caller', ours, reference, 'difference'], compared(a.byCaller, b.byCaller, top)),
  )
}
