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
import { build } from 'esbuild'

const run = promisify(execFile)
// Outside the repository (the linter would read it); self-contained, so it resolves nothing there.
const BUNDLE = join(tmpdir(), `otel-http-bench-${process.pid}-instruction-count.cjs`)
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

// One CommonJS file with everything in it (the adapters from their built dist, as users load
// them): nothing is transformed at run time, which tsx would do differently in each run.
function bundle(): Promise<unknown> {
  if (!bundled) {
    process.once('exit', () => rmSync(BUNDLE, { force: true }))
    bundled = build({
      entryPoints: [ENTRY],
      outfile: BUNDLE,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      tsconfig: DIST_TSCONFIG,
      logLevel: 'error',
    })
  }
  return bundled
}

let runs = 0

/** Instructions from the process's `windowStarts()` to its `windowEnds()` (instruction-count.ts). */
async function countedWindow(args: string[]): Promise<number> {
  const out = join(tmpdir(), `otel-http-callgrind-${process.pid}-${++runs}.out`)
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
    // The dump taken at the window's end; the file without a suffix is what ran after it.
    const summary = /^summary: (\d+)$/m.exec(readFileSync(`${out}.1`, 'utf8'))
    if (!summary) throw new Error(`callgrind wrote no summary for ${args.join(' ')}`)
    return Number(summary[1])
  } finally {
    rmSync(out, { force: true })
    rmSync(`${out}.1`, { force: true })
  }
}

/**
 * Instructions per call of the instruction-count process's `args` (`hot <client> <variant>
 * <propagator>` or `op <side> <operation>`): `calls` counted calls after `warmUp` uncounted ones.
 *
 * @example
 * const perCall = await instructionsPerCall(['hot', 'fetch', 'spans-on', 'otel'], 20000, 20000)
 */
export async function instructionsPerCall(args: string[], warmUp: number, calls: number): Promise<number> {
  await bundle()
  return (await countedWindow([...args, String(warmUp), String(calls)])) / calls
}
