/**
 * Where one counted window's instructions go, by package and by function, JIT code included:
 * the instruction-count process run under callgrind with `--perf-basic-prof`, its JIT addresses
 * named from the perf map and placed in the bundle's modules (lib/jit-names.ts). Two windows
 * compared this way say which code makes one variant cost more than its reference.
 */
import { rmSync } from 'node:fs'
import { basename } from 'node:path'
import { type DumpFunction, dumpFunctions } from './callgrind-functions'
import { BUNDLE, bundle, cheapestWindow, STEADY_WINDOWS, underCallgrind } from './instructions'
import { bundleModules, packageOf, perfMap } from './jit-names'

/** The cheapest window's instructions per call: in all (V8 compiling left out, as every count here), by origin, by function. */
export interface Attribution {
  perCall: number
  compilePerCall: number
  /** Garbage collection a call, when it is left out of `perCall` too (`withoutGc`). */
  gcPerCall: number | undefined
  /** Every window's instructions per call, compiling left out, in order: how steady the count was. */
  windows: number[]
  byOrigin: Map<string, number>
  byFunction: Map<string, number>
  /**
   * For each function of one of the asked-for names (a builtin's, or a JavaScript function's without its place): its callers' share of its
   * cost (inclusive, per call), keyed `callee ← caller`; a caller that is a V8 builtin (an IC's
   * trampoline) is followed up one more level.
   */
  byCaller: Map<string, number>
}

// V8's compilers and parser: compiling, which every count here leaves out (lib/instructions.ts).
const COMPILER =
  /^v8::internal::(compiler|maglev|baseline|interpreter|wasm)::|^v8::internal::(Parser|Scanner|Compiler|ParserBase|AstValueFactory|PreParser|DeclarationScope|Scope)\b/
const GC =
  /^heap::|^v8::internal::(Heap|BodyDescriptorBase|Scavenger|ScavengerCollector|MarkCompactCollector|Sweeper|MemoryAllocator|PagedSpace|SemiSpace|NewSpace|MinorMarkSweep|ConcurrentMarking|IncrementalMarking|Evacuat|GCTracer|ObjectVisitor|MarkingVisitor)/

// A C++ name without its parameters: templates and overloads read the same, and a table stays readable.
const short = (name: string) => name.replaceAll('(anonymous namespace)', '{anonymous}').split('(', 1)[0]!

interface Named {
  origin: string
  label: string
}

/** Where a dump function comes from, and what to call it. */
function classify(
  fn: DumpFunction,
  jitName: (address: number) => string | undefined,
  moduleAt: (line: number) => string,
): Named {
  const { name, object } = fn
  if (object === '???' || /^0x[0-9a-f]+$/.test(name)) {
    const address = Number.parseInt(name, 16)
    const jit = Number.isNaN(address) ? undefined : jitName(address)
    if (!jit)
      return {
        origin: 'unnamed code',
        label: object === '???' ? 'JIT code not in the perf map' : basename(object),
      }
    if (jit.startsWith('Builtin:')) return { origin: 'V8 builtins', label: jit.slice(8) }
    // The tier as V8 marks it: `~` interpreted, `^` Sparkplug, `+'` Maglev, `*` Turbofan.
    const js = /^JS:([~^*]|\+'?)?(\S*) (.*):(\d+):\d+$/.exec(jit)
    if (!js) return { origin: 'V8 generated', label: jit }
    const [, tier, functionName, script, line] = js
    const module = script!.startsWith('node:') ? script! : moduleAt(Number(line))
    const origin = script!.startsWith('node:') ? 'Node (JavaScript)' : packageOf(module)
    const marker = tier === "+'" ? '+' : (tier ?? '')
    return { origin, label: `${marker}${functionName || '(anonymous)'} ${basename(module)}:${line}` }
  }
  if (name.startsWith('Builtins_')) return { origin: 'V8 builtins', label: name.slice(9) }
  // A demangled template instance starts with its return type: `void v8::internal::…`.
  const qualified = name.replace(/^(?:[\w:]+(?:<[^<>]*>)?[*&]* )+(?=(?:v8|node|heap)::)/, '')
  if (COMPILER.test(qualified)) return { origin: 'V8 compiler', label: short(name) }
  if (GC.test(qualified)) return { origin: 'V8 garbage collector', label: short(name) }
  if (qualified.startsWith('v8::')) return { origin: 'V8 runtime (C++)', label: short(name) }
  if (qualified.startsWith('node::') || name.startsWith('uv_') || name.startsWith('uv__'))
    return { origin: 'Node (C++)', label: short(name) }
  return { origin: basename(object), label: short(name) }
}

const add = (map: Map<string, number>, key: string, value: number) =>
  map.set(key, (map.get(key) ?? 0) + value)

/**
 * Counts four windows of `calls` calls of the instruction-count process's `args` after `warmUp`
 * uncounted ones and attributes the cheapest (the one lib/instructions.ts judges); with
 * `withoutGc`, cheapest and counted without garbage collection, as the loopback counts are.
 *
 * @example
 * const ours = await attributeWindow(['hot', 'fetch', 'spans-on', 'otel'], 20000, 20000)
 */
export async function attributeWindow(
  args: string[],
  warmUp: number,
  calls: number,
  callersOf: string[] = [],
  { withoutGc = false }: { withoutGc?: boolean } = {},
): Promise<Attribution> {
  await bundle()
  const windows = STEADY_WINDOWS
  return underCallgrind(
    [...args, String(warmUp), String(calls), String(windows)],
    windows,
    async (dumps) => {
      const { dump, split, running } = await cheapestWindow(dumps, withoutGc)
      const { total, compile, gc } = split
      const { pid, functions } = dumpFunctions(dump)
      const mapFile = `/tmp/perf-${pid}.map`
      try {
        const jitName = perfMap(mapFile)
        const moduleAt = bundleModules(BUNDLE)
        const byOrigin = new Map<string, number>()
        const byFunction = new Map<string, number>()
        const byCaller = new Map<string, number>()
        const named = new Map<DumpFunction, Named>()
        const nameOf = (fn: DumpFunction) => {
          let found = named.get(fn)
          if (!found) {
            found = classify(fn, jitName, moduleAt)
            named.set(fn, found)
          }
          return found
        }
        for (const fn of functions) {
          const { origin, label } = nameOf(fn)
          if (fn.self !== 0) {
            add(byOrigin, origin, fn.self / calls)
            add(byFunction, `${origin}\u0000${label}`, fn.self / calls)
          }
          const bare = label.replace(/^[~^+*]'?/, '')
          if (!callersOf.some((name) => bare === name || bare.startsWith(`${name} `))) continue
          for (const [caller, cost] of fn.callers) {
            const from = nameOf(caller)
            const trampoline = from.origin === 'V8 builtins' && caller.callers.size > 0
            const upward = trampoline ? [...caller.callers] : [[caller, cost] as const]
            const through = trampoline ? ` (through ${from.label})` : ''
            // A trampoline's callers split its cost in their proportion.
            const callerTotal = upward.reduce((sum, [, share]) => sum + share, 0)
            for (const [outer, share] of upward) {
              const { label: outerLabel } = nameOf(outer)
              add(byCaller, `${label} ← ${outerLabel}${through}`, (cost * share) / callerTotal / calls)
            }
          }
        }
        return {
          perCall: (total - compile - (withoutGc ? gc : 0)) / calls,
          compilePerCall: compile / calls,
          gcPerCall: withoutGc ? gc / calls : undefined,
          windows: running.map((count) => count / calls),
          byOrigin,
          byFunction,
          byCaller,
        }
      } finally {
        rmSync(mapFile, { force: true })
      }
    },
    // The perf map; V8's own log (which the flag also opens) is not wanted.
    ['--perf-basic-prof', '--logfile=/dev/null', '--no-logfile-per-isolate'],
  )
}
