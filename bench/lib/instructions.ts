/**
 * Instruction counts per call, from valgrind's callgrind: the same total for the same binary,
 * inputs and environment whatever else the machine runs, so a difference of a few percent in the
 * no-I/O paths is a measurement here, where CPU time moves by more than that between runs.
 * V8 is made repeatable (`--predictable`: no concurrent compiler or GC threads; fixed random and
 * hash seeds) and address-space randomisation is turned off (`setarch -R`). Only the window of
 * counted calls is counted (start-up, module loading, warm-up and exit are not), divided by the
 * number of calls.
 */
import { execFile, spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { machine, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { build, type Plugin } from 'esbuild'
import { redirected, STACK_DIR_ENV, stackPackages } from './stack'

const run = promisify(execFile)
// Outside the repository (the linter would read it); self-contained, so it resolves nothing there.
export const BUNDLE = join(tmpdir(), `otel-http-bench-${process.pid}-instruction-count.cjs`)
const ENTRY = fileURLToPath(new URL('../processes/instruction-count.ts', import.meta.url))
const DIST_TSCONFIG = fileURLToPath(new URL('../tsconfig.dist.json', import.meta.url))

/** Why instructions cannot be counted here (valgrind or setarch missing), or undefined. */
export function countingUnavailable(): string | undefined {
  for (const [command, args] of [
    ['valgrind', ['--version']],
    ['setarch', ['--version']],
  ] as const) {
    if (spawnSync(command, args).error) return `${command} not found (apt-get install valgrind util-linux)`
  }
  return undefined
}

let bundled: Promise<unknown> | undefined

/**
 * The stack's packages bundled instead of the repository's (lib/stack.ts): each import
 * lib/stack.ts redirects is resolved from the stack's directory, so the bundle holds the stack's
 * copies alone.
 */
function stackPlugin(dir: string): Plugin {
  const names = stackPackages(dir)
  const filter = new RegExp(`^(${names.map((name) => name.replace(/[/.]/g, '\\$&')).join('|')})(/|$)`)
  return {
    name: 'bench-stack',
    setup(build) {
      build.onResolve({ filter }, (args) => {
        if (args.pluginData === 'stack' || !redirected(args.path, args.importer, dir, names)) return undefined
        return build.resolve(args.path, { kind: args.kind, resolveDir: dir, pluginData: 'stack' })
      })
    },
  }
}

// One CommonJS file with everything in it (the adapters from their built dist, as users load
// them): nothing is transformed at run time, which tsx would do differently in each run.
export function bundle(): Promise<unknown> {
  if (!bundled) {
    process.once('exit', () => rmSync(BUNDLE, { force: true }))
    bundled = build({
      entryPoints: [ENTRY],
      outfile: BUNDLE,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      tsconfig: DIST_TSCONFIG,
      // import.meta.url as in an ES module (the auto-instrumentation's createRequire reads it).
      define: { 'import.meta.url': '__import_meta_url' },
      banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
      logLevel: 'error',
      plugins: process.env[STACK_DIR_ENV] ? [stackPlugin(process.env[STACK_DIR_ENV])] : [],
    })
  }
  return bundled
}

let runs = 0

/**
 * Runs the instruction-count process with `args` under callgrind and hands `read` the dump of
 * each window, in order (a process may count several: one dump per `windowEnds()`); `nodeFlags`
 * go to Node before the bundle.
 */
export async function underCallgrind<T>(
  args: string[],
  windows: number,
  read: (dumps: string[]) => Promise<T>,
  nodeFlags: string[] = [],
): Promise<T> {
  const out = join(tmpdir(), `otel-http-callgrind-${process.pid}-${++runs}.out`)
  // The dumps taken at the windows' ends; the file without a suffix is what ran after the last.
  const dumps = Array.from({ length: windows }, (_, i) => `${out}.${i + 1}`)
  try {
    await run(
      'setarch',
      [
        machine(),
        '-R',
        'valgrind',
        '--tool=callgrind',
        `--callgrind-out-file=${out}`,
        '--zero-before=uv_getrusage',
        '--dump-before=uv_resident_set_memory',
        // V8 writes the code it runs: valgrind must re-read it when it changes.
        '--smc-check=all-non-file',
        process.execPath,
        ...nodeFlags,
        '--predictable',
        '--random-seed=1',
        '--hash-seed=1',
        // Old space large from the start: no mark-compact lands in one window and not another
        // (seen otherwise: +5% in a 50 000-call window holding one); scavenges stay, they are
        // paid per byte allocated.
        '--initial-old-space-size=1024',
        '--max-old-space-size=4096',
        BUNDLE,
        ...args,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    )
    return await read(dumps)
  } finally {
    for (const file of [out, ...dumps]) rmSync(file, { force: true })
  }
}

function summaryOf(dump: string): number {
  const summary = /^summary: (\d+)$/m.exec(readFileSync(dump, 'utf8'))
  if (!summary) throw new Error(`callgrind wrote no summary in ${dump}`)
  return Number(summary[1])
}

/** How many windows a steady count takes (the cheapest is the count: {@link instructionsPerCall}). */
export const STEADY_WINDOWS = 4

/**
 * Instructions per call of the instruction-count process's `args` (`hot <client> <variant>
 * <propagator>` or `op <side> <operation>`): `windows` windows of `calls` counted calls after
 * `warmUp` uncounted ones, the cheapest window, V8's compiling left out (as in
 * {@link windowsPerCall}).
 *
 * The cheapest window, because V8 is still settling long after 20 000 calls, and for how long
 * depends on the variant: fetch without I/O, Node 24, SDK 3, five windows of 20 000 after 20 000
 * (instructions a call, compiling left out): ours 67 468, 60 065, 56 111, 55 904, 55 913; the
 * by-hand span 55 232, 49 972, 49 806, 49 897, 49 721. In ours V8 changed its pretenuring of an
 * allocation site the SDK's span code depends on after ≈ 52 000 calls (`--trace-deopt`:
 * "dependent allocation site tenuring changed" for `startSpan`, `SpanImpl`, `end`) and then
 * re-optimised them; in the by-hand one that happened before 10 000. Such one-off work only ever
 * raises a window, so the cheapest is the steady cost of a call; the first window alone made
 * ours 12 200 over the by-hand span where the steady gap is 6 200. Garbage collection stays in:
 * over this many calls it is paid per byte allocated.
 *
 * @example
 * const perCall = await instructionsPerCall(['hot', 'fetch', 'spans-on', 'otel'], 20000, 20000)
 */
export async function instructionsPerCall(
  args: string[],
  warmUp: number,
  calls: number,
  windows = STEADY_WINDOWS,
): Promise<number> {
  await bundle()
  const { split } = await underCallgrind(
    [...args, String(warmUp), String(calls), String(windows)],
    windows,
    cheapestWindow,
  )
  return (split.total - split.compile) / calls
}

/**
 * The window with the fewest instructions, V8's compiling left out (and its garbage collection,
 * with `withoutGc`: over real I/O a window holds a lumpy 0–5 scavenges, lib/loopback-instructions.ts):
 * its dump, its split, and every window's count.
 */
export async function cheapestWindow(
  dumps: string[],
  withoutGc = false,
): Promise<{ dump: string; split: WindowSplit; running: number[] }> {
  const splits = await Promise.all(dumps.map(splitOf))
  const { cheapest, running } = cheapestSplit(splits, withoutGc)
  return { dump: dumps[cheapest]!, split: splits[cheapest]!, running }
}

/** Which split is cheapest, and each one's count, compiling (and with `withoutGc`, collecting) left out. */
export function cheapestSplit(
  splits: WindowSplit[],
  withoutGc = false,
): { cheapest: number; running: number[] } {
  const running = splits.map(({ total, compile, gc }) => total - compile - (withoutGc ? gc : 0))
  return { cheapest: running.indexOf(Math.min(...running)), running }
}

/** One counted window split three ways (instructions): V8 compiling, V8 collecting garbage, the rest. */
export interface WindowSplit {
  total: number
  /**
   * Inclusive cost of V8 compiling on the main thread (`Runtime_Compile*`, `Runtime_Optimize*`:
   * lazy, baseline, Maglev, Turbofan) and of every other thread (Node 24 compiles on them).
   */
  compile: number
  /**
   * Inclusive cost of `Heap::CollectGarbage`: every scavenge, whatever triggered it. The function
   * itself only: Node 24's listing also names a lambda inside it, with the same cost again.
   */
  gc: number
}

const COMPILE = /^v8::internal::Runtime_(Compile|Optimize|InstallBaselineCode)|^start_thread$/
const COLLECT = /^v8::internal::Heap::CollectGarbage\([^)]*\) \[/

// callgrind_annotate's inclusive listing: `  46,551,363 ( 7.63%)  ???:v8::internal::Runtime_CompileOptimized(…) [/usr/bin/node]`.
export async function splitOf(dump: string): Promise<WindowSplit> {
  const { stdout } = await run(
    'callgrind_annotate',
    ['--inclusive=yes', '--threshold=100', '--auto=no', dump],
    {
      maxBuffer: 256 * 1024 * 1024,
    },
  )
  const split: WindowSplit = { total: summaryOf(dump), compile: 0, gc: 0 }
  for (const line of stdout.split('\n')) {
    const match = /^\s*([\d,]+) \([^)]*\)\s+[^:\s]*:(.*)$/.exec(line)
    if (!match) continue
    const count = Number(match[1]!.replaceAll(',', ''))
    if (COMPILE.test(match[2]!)) split.compile += count
    else if (COLLECT.test(match[2]!)) split.gc += count
  }
  return split
}

/**
 * Each window of the instruction-count process's `args` (`loopback …`), split: `windows` windows
 * of `calls` calls after `warmUp`, per call.
 */
export async function windowsPerCall(
  args: string[],
  windows: number,
  warmUp: number,
  calls: number,
): Promise<WindowSplit[]> {
  await bundle()
  const perCall = ({ total, compile, gc }: WindowSplit) => ({
    total: total / calls,
    compile: compile / calls,
    gc: gc / calls,
  })
  return underCallgrind([...args, String(warmUp), String(calls), String(windows)], windows, async (dumps) =>
    (await Promise.all(dumps.map(splitOf))).map(perCall),
  )
}
