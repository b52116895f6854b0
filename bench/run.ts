/**
 * `pnpm bench`: the CPU each adapter adds per request, against references measured in the same
 * run (by-hand code, OpenTelemetry's auto-instrumentation, the SDK floor, the frameworks' own
 * OpenTelemetry peers), then the performance targets as ratios, met or not. Client and server CPU per
 * request come first; throughput and latency are secondary. Every figure is a median over
 * repetitions of a delta against `bare` in the same repetition; variants alternate within the run.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { buildStalePackages, DIST_TSCONFIG } from './lib/built-packages'
import { countingUnavailable } from './lib/instructions'
import { instructionsBenchmark } from './lib/instructions-benchmark'
import { type BenchProcess, startProcess } from './lib/ipc'
import { loopbackInstructionsBenchmark } from './lib/loopback-instructions-benchmark'
import { metricsBenchmark } from './lib/metrics-benchmark'
import { nodeBinary } from './lib/node-binary'
import { type BenchOptions, parseOptions, USAGE } from './lib/options'
import {
  absolute,
  checkSegments,
  compare,
  markdownTable,
  micros,
  ratio,
  type Segment,
  type ServerCounts,
} from './lib/report'
import { rotate } from './lib/schedule'
import { describePackage, installStack, STACK_DIR_ENV, stackPackages } from './lib/stack'
import { median } from './lib/stats'
import { MIN_REPS_FOR_VERDICT, Targets } from './lib/targets'
import {
  AUTO_INSTRUMENTATION,
  CLIENT_LABELS,
  type ClientName,
  FRAMEWORK_PEERS,
  FRAMEWORKS,
  type Framework,
  type VariantName,
} from './lib/variants'

const options = parseOptions(process.argv.slice(2), process.env)
if (!options) {
  console.log(USAGE)
  process.exit(0)
}
const log = (line: string) => process.stderr.write(`${line}\n`)

// `--node N` on another Node: the same run, re-executed by that Node (children inherit it).
if (options.node !== undefined && options.node !== Number(process.versions.node.split('.')[0])) {
  const node = nodeBinary(options.node, log)
  const script = fileURLToPath(import.meta.url)
  const { status } = spawnSync(node, ['--import', 'tsx', script, ...process.argv.slice(2)], {
    stdio: 'inherit',
  })
  process.exit(status ?? 1)
}

// The stack every child loads, in their environment (lib/stack.ts).
const stackDir = (() => {
  try {
    return installStack(options.stack, log)
  } catch (error) {
    log(error instanceof Error ? error.message : String(error))
    process.exit(2)
  }
})()
if (stackDir) process.env[STACK_DIR_ENV] = stackDir

const started = performance.now()
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`
const processes: BenchProcess[] = []
if (!options.source) buildStalePackages(log)
const tsconfig = options.source ? undefined : DIST_TSCONFIG
const targets = new Targets(!options.quick && options.reps >= MIN_REPS_FOR_VERDICT)
const plus = (value: number) =>
  `${value >= 0 ? '+' : ''}${Number.isFinite(value) ? value.toFixed(1) : '–'} µs`

/** Requests each client process made (warm-ups included), for the profiles' per-request figures. */
const requestsOf = new Map<BenchProcess, number>()
const profileNames = new Map<BenchProcess, string>()

function start(script: string, args: string[]): BenchProcess {
  const name = `${script.replace(/\.ts$/, '')}-${args.join('-')}-node${process.versions.node.split('.')[0]}`
  // A directory per process: with tsx's loader thread (Node 20) a process writes two profiles.
  const execArgv = options!.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=bench/profiles/${name}`] : []
  const child = startProcess(script, args, { execArgv, tsconfig })
  processes.push(child)
  profileNames.set(child, name)
  return child
}

/**
 * What the processes load, as the header names it: for a stack, as a child resolved it
 * (processes/stack-check.ts checks ours load the stack's API); else the repository's copies.
 */
async function stackVersions(): Promise<string> {
  if (!stackDir) {
    const require = createRequire(import.meta.url)
    const names = stackPackages(fileURLToPath(new URL('./stacks/sdk3/', import.meta.url)))
    return `the repository's: ${names.map((name) => describePackage(name, require.resolve(name))).join(', ')}`
  }
  const child = startProcess('stack-check.ts', [], { tsconfig })
  try {
    const { versions } = (await child.ready) as { versions: string[] }
    return `${options!.stack}: ${versions.join(', ')}`
  } finally {
    child.stop()
  }
}

/** A client's `load` call, its requests tallied. */
async function load(client: BenchProcess, fields: Record<string, unknown>): Promise<Segment['load']> {
  const result = await client.call<Segment['load']>('load', fields)
  requestsOf.set(client, (requestsOf.get(client) ?? 0) + result.requests + result.errors)
  return result
}

const bareServer = start('server.ts', ['bare', options.propagator])
const port = (await bareServer.ready).port as number
const clientProcesses = new Map<string, BenchProcess>()
function clientProcess(client: ClientName, variant: VariantName): BenchProcess {
  const key = `${client}/${variant}`
  let child = clientProcesses.get(key)
  if (!child) {
    child = start('client.ts', [client, variant, options!.propagator])
    clientProcesses.set(key, child)
  }
  return child
}

/** Warm-up, then one measured segment, with the server's counts for exactly that segment. */
async function segment(
  client: BenchProcess,
  server: BenchProcess,
  serverPort: number,
  variant: VariantName,
  concurrency: number,
): Promise<Segment> {
  const request = { variant, port: serverPort, concurrency }
  await load(client, { ...request, phase: 'warmup', durationMs: options!.warmupMs })
  await server.call('reset')
  const measured = await load(client, { ...request, phase: 'measure', durationMs: options!.durationMs })
  const counts = await server.call<ServerCounts>('read')
  return { load: measured, server: counts }
}

/** The first warm-up of a process: long enough for its JIT, except in a smoke run. */
const longWarmUp = (ms: number) =>
  options!.quick ? options!.warmupMs * 4 : Math.max(ms, options!.warmupMs * 4)

/** A longer unmeasured load first, so the first repetition is not the JIT's. */
async function warmUp(client: BenchProcess, variant: VariantName, serverPort: number, durationMs: number) {
  await load(client, { variant, port: serverPort, concurrency: 8, phase: 'warmup', durationMs })
}

async function clientBenchmark({ clients, variants, concurrency, reps }: BenchOptions) {
  const runs = new Map<string, Segment[]>()
  const key = (client: ClientName, c: number, variant: VariantName) => `${client}/${c}/${variant}`
  for (const client of clients) for (const variant of variants) await clientProcess(client, variant).ready
  for (const client of clients) {
    for (const variant of variants) {
      await warmUp(clientProcess(client, variant), variant, port, longWarmUp(300))
    }
  }
  for (let rep = 0; rep < reps; rep++) {
    log(`clients: repetition ${rep + 1}/${reps} (${elapsed()})`)
    for (const c of concurrency) {
      for (const client of clients) {
        for (const variant of rotate(variants, rep)) {
          const result = await segment(clientProcess(client, variant), bareServer, port, variant, c)
          runs.set(key(client, c, variant), [...(runs.get(key(client, c, variant)) ?? []), result])
        }
      }
    }
  }

  const rows: string[][] = []
  const problems: string[] = []
  for (const client of clients) {
    for (const c of concurrency) {
      const bare = runs.get(key(client, c, 'bare')) ?? []
      const base = absolute(bare)
      const cpuOf = new Map<VariantName, number>()
      for (const variant of variants) {
        const segments = runs.get(key(client, c, variant)) ?? []
        const problem = checkSegments(variant, segments)
        if (problem) problems.push(`${CLIENT_LABELS[client]} c=${c} ${variant}: ${problem}`)
        const name = variant === 'auto' ? `auto (${AUTO_INSTRUMENTATION[client]})` : variant
        if (variant === 'bare') {
          rows.push([
            CLIENT_LABELS[client],
            String(c),
            name,
            `${base.cpu.toFixed(1)} µs`,
            `${base.throughput.toFixed(0)} req/s`,
            micros(base.p50),
            micros(base.p99),
          ])
          continue
        }
        const result = compare(segments, bare)
        cpuOf.set(variant, result.cpu)
        rows.push([
          '',
          String(c),
          name,
          plus(result.cpu),
          ratio(result.throughput),
          ratio(result.p50),
          ratio(result.p99),
        ])
      }
      targets.addClient(`${CLIENT_LABELS[client]}, c = ${c}, loopback`, (variant) => cpuOf.get(variant), {
        auto: AUTO_INSTRUMENTATION[client],
      })
    }
  }
  console.log('\n### Client CPU per request over loopback (µs over bare, same repetition; medians)\n')
  console.log(markdownTable(['client', 'c', 'variant', 'client CPU/req', 'throughput', 'p50', 'p99'], rows))
  return problems
}

async function serverBenchmark({ concurrency, reps, propagator }: BenchOptions) {
  const names = ['bare', 'manual', 'traced'] as const
  type ServerName = (typeof names)[number]
  const servers = new Map<string, { process: BenchProcess; port: number }>([
    ['node:http/bare', { process: bareServer, port }],
  ])
  for (const name of ['manual', 'traced'] as const) {
    const child = start('server.ts', [name, propagator])
    servers.set(`node:http/${name}`, { process: child, port: (await child.ready).port as number })
  }
  const results = await serverSeries('node:http', names, servers, concurrency, reps)
  const labels: Record<ServerName, string> = {
    bare: 'bare',
    manual: 'SDK floor: extract + span by hand',
    traced: 'traceRequestListener',
  }
  const rows = results.rows.map(([c, name, ...rest]) => [c!, labels[name as ServerName], ...rest])
  for (const c of concurrency) {
    const cpu = results.cpu.get(c)!
    targets.add({
      target: `traceRequestListener, c = ${c}`,
      ours: cpu.get('traced')!,
      reference: cpu.get('manual')!,
      referenceName: 'SDK floor by hand',
      limit: 1.1,
    })
  }
  console.log('\n### Server CPU per request: node:http (µs over bare, same repetition; medians)\n')
  console.log(markdownTable(['c', 'server', 'server CPU/req', 'throughput', 'p50', 'p99'], rows))
  return results.problems
}

async function frameworkBenchmark({ concurrency, reps, propagator }: BenchOptions) {
  const modes = ['bare', 'ours', 'peer'] as const
  const problems: string[] = []
  const rows: string[][] = []
  for (const framework of FRAMEWORKS) {
    const servers = new Map<string, { process: BenchProcess; port: number }>()
    for (const mode of modes) {
      const child = start('framework-server.ts', [framework, mode, propagator])
      servers.set(`${framework}/${mode}`, { process: child, port: (await child.ready).port as number })
    }
    const results = await serverSeries(framework, modes, servers, concurrency, reps)
    for (const server of servers.values()) server.process.stop()
    problems.push(...results.problems)
    const labels = { bare: 'bare', ours: `${framework}Tracing`, peer: FRAMEWORK_PEERS[framework] }
    rows.push(
      ...results.rows.map(([c, mode, ...rest], index) => [
        index === 0 ? framework : '',
        c!,
        labels[mode as keyof typeof labels],
        ...rest,
      ]),
    )
    for (const c of concurrency) {
      const cpu = results.cpu.get(c)!
      targets.add({
        target: `${framework}Tracing, c = ${c}`,
        ours: cpu.get('ours')!,
        reference: cpu.get('peer')!,
        referenceName: FRAMEWORK_PEERS[framework as Framework],
        limit: 1,
      })
    }
  }
  console.log('\n### Server CPU per request: frameworks (µs over the bare framework; medians)\n')
  console.log(markdownTable(['framework', 'c', 'server', 'server CPU/req', 'throughput', 'p50', 'p99'], rows))
  return problems
}

/**
 * Loads each of `names` (servers keyed `<group>/<name>`, the first the bare one) in alternation
 * with undici.request sending constant trace headers, as traced callers do; returns the rows and
 * each name's server CPU delta per concurrency.
 */
async function serverSeries(
  group: string,
  names: readonly string[],
  servers: Map<string, { process: BenchProcess; port: number }>,
  concurrency: number[],
  reps: number,
) {
  const client = clientProcess('undici', 'headers')
  await client.ready
  const server = (name: string) => servers.get(`${group}/${name}`)!
  for (const name of names) await warmUp(client, 'headers', server(name).port, longWarmUp(1000))
  const runs = new Map<string, Segment[]>()
  for (let rep = 0; rep < reps; rep++) {
    log(`${group}: repetition ${rep + 1}/${reps} (${elapsed()})`)
    for (const c of concurrency) {
      for (const name of rotate(names, rep)) {
        const result = await segment(client, server(name).process, server(name).port, 'headers', c)
        runs.set(`${c}/${name}`, [...(runs.get(`${c}/${name}`) ?? []), result])
      }
    }
  }
  const rows: string[][] = []
  const problems: string[] = []
  const cpu = new Map<number, Map<string, number>>()
  for (const c of concurrency) {
    const bare = runs.get(`${c}/${names[0]}`) ?? []
    const base = absolute(bare)
    rows.push([
      String(c),
      names[0]!,
      `${base.serverCpu.toFixed(1)} µs`,
      `${base.throughput.toFixed(0)} req/s`,
      micros(base.p50),
      micros(base.p99),
    ])
    const deltas = new Map<string, number>()
    for (const name of names.slice(1)) {
      const segments = runs.get(`${c}/${name}`) ?? []
      const problem = checkSegments('traced-server', segments)
      if (problem) problems.push(`${group} ${name} c=${c}: ${problem}`)
      const result = compare(segments, bare)
      deltas.set(name, result.serverCpu)
      rows.push([
        '',
        name,
        plus(result.serverCpu),
        ratio(result.throughput),
        ratio(result.p50),
        ratio(result.p99),
      ])
    }
    cpu.set(c, deltas)
  }
  return { rows, problems, cpu }
}

/**
 * The adapters' own CPU per call, the transport replaced by an immediate answer: bare, the two
 * by-hand references and the adapter with spans off and on, each in a process of its own, rounds
 * alternating, deltas against bare of the same repetition.
 */
async function hotPathBenchmark({ clients, reps, durationMs, propagator }: BenchOptions) {
  log(`hot path (${elapsed()})`)
  const variants = ['bare', 'hand-inject', 'spans-off', 'hand-span', 'spans-on'] as const
  type HotVariant = (typeof variants)[number]
  const rows: string[][] = []
  for (const client of clients) {
    const children = Object.fromEntries(
      variants.map((variant) => [variant, start('hot-path.ts', [client, variant, propagator])]),
    ) as Record<HotVariant, BenchProcess>
    for (const variant of variants) await children[variant].ready
    for (const variant of variants) await children[variant].call('run', { roundMs: longWarmUp(500) })
    const samples = Object.fromEntries(variants.map((variant) => [variant, [] as number[]])) as Record<
      HotVariant,
      number[]
    >
    for (let rep = 0; rep < reps; rep++) {
      for (const variant of rotate(variants, rep)) {
        samples[variant].push(await children[variant].call<number>('run', { roundMs: durationMs }))
      }
    }
    for (const child of Object.values(children)) child.stop()
    const cpuOf = new Map<string, number>(
      variants
        .slice(1)
        .map((variant) => [
          variant,
          median(samples[variant].map((value, rep) => value - samples.bare[rep]!)),
        ]),
    )
    rows.push([
      CLIENT_LABELS[client],
      `${median(samples.bare).toFixed(1)} µs`,
      ...variants.slice(1).map((variant) => plus(cpuOf.get(variant)!)),
    ])
    targets.addClient(`${CLIENT_LABELS[client]}, no I/O`, (variant) => cpuOf.get(variant))
  }
  console.log('\n### Client CPU per call without I/O (transport answered at once; µs over bare; medians)\n')
  console.log(
    markdownTable(
      ['client', 'bare', 'by hand: inject', 'spans off', 'by hand: span + inject', 'spans on'],
      rows,
    ),
  )
  return []
}

async function microBenchmark({ reps }: BenchOptions) {
  log(`propagators (${elapsed()})`)
  const micro = start('micro.ts', [])
  await micro.ready
  type Row = { ours: number; otel: number; ratio: number }
  const result = await micro.call<Record<string, Row>>('run', {
    reps,
    roundMs: Math.max(100, Math.round(options!.durationMs / 2)),
  })
  const ops = (value: number) => `${(value / 1e6).toFixed(2)} M ops/s`
  const labels: Record<string, [string, string]> = {
    'parse traceparent': ['parse traceparent', 'parseTraceparent vs parseTraceParent'],
    'parse tracestate': ['parse + validate tracestate (3 members)', 'parseTracestate vs new TraceState'],
    extract: ['extract: traceparent + tracestate into a Context', 'propagator.extract'],
    inject: ['inject: format traceparent + tracestate', 'propagator.inject'],
  }
  const rows = Object.entries(labels).map(([name, [label, functions]]) => [
    label,
    functions,
    ops(result[name]!.ours),
    ops(result[name]!.otel),
    ratio(result[name]!.ratio),
  ])
  // Time per operation, ours over theirs: the same ≤ limit form as every other target.
  for (const name of ['extract', 'inject']) {
    targets.add({
      target: `w3cPropagator ${name}, time per operation`,
      unit: 'ns/op',
      ours: 1e9 / result[name]!.ours,
      reference: 1e9 / result[name]!.otel,
      referenceName: '@opentelemetry/core',
      limit: 1,
    })
  }
  console.log('\n### W3C trace context: @otel-http/core vs @opentelemetry/core (medians)\n')
  console.log(markdownTable(['operation', 'functions', 'ours', '@opentelemetry/core', 'ours / theirs'], rows))
  return []
}

try {
  console.log(
    `otel-http bench — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; ` +
      `${options.reps} repetitions × ${options.durationMs} ms (warm-up ${options.warmupMs} ms); ` +
      `propagator: ${options.propagator === 'otel' ? '@opentelemetry/core W3C' : 'otel-http w3cPropagator()'}; ` +
      `adapters from ${options.source ? 'sources (tsx)' : 'built dist'}${options.quick ? '; QUICK (smoke, not judged)' : ''}`,
  )
  console.log(`stack: ${await stackVersions()}`)
  const problems: string[] = []
  if (options.parts.includes('clients')) problems.push(...(await clientBenchmark(options)))
  if (options.parts.includes('hot-path')) problems.push(...(await hotPathBenchmark(options)))
  if (options.parts.includes('instructions')) {
    log(`instructions (${elapsed()})`)
    problems.push(...(await instructionsBenchmark(options, targets, log)))
  }
  if (options.parts.includes('loopback-instructions')) {
    log(`loopback instructions (${elapsed()})`)
    problems.push(...(await loopbackInstructionsBenchmark(options, targets, log)))
  }
  if (options.parts.includes('server')) problems.push(...(await serverBenchmark(options)))
  if (options.parts.includes('frameworks')) problems.push(...(await frameworkBenchmark(options)))
  if (options.parts.includes('micro')) problems.push(...(await microBenchmark(options)))
  if (options.parts.includes('metrics')) {
    const verdicts = await metricsBenchmark(options, start)
    // Its problems are verdicts on µs (metrics cost without a provider), not broken checks. When
    // the same calls were counted in instructions, those counts judge: the timed 0.5 µs is within
    // what two identical axios processes differ by at this load (8.5 µs seen, section 18).
    const counted = options.parts.includes('instructions') && countingUnavailable() === undefined
    if (options.quick) for (const verdict of verdicts) log(`quick, not judged: ${verdict}`)
    else if (counted) for (const verdict of verdicts) log(`timed, the counted row judges: ${verdict}`)
    else problems.push(...verdicts)
  }
  console.log(`\n### Targets (ours / same-run reference, CPU per request; Node ${process.version})\n`)
  console.log(targets.table())
  for (const problem of problems) console.log(`\nCHECK FAILED: ${problem}`)
  if (options.cpuProf) {
    // Beside the profiles: how many requests each client process made, to read them per request.
    const counts = Object.fromEntries([...requestsOf].map(([child, n]) => [profileNames.get(child), n]))
    mkdirSync('bench/profiles', { recursive: true })
    writeFileSync(
      `bench/profiles/requests-node${process.versions.node.split('.')[0]}.json`,
      `${JSON.stringify(counts, null, 2)}\n`,
    )
  }
  log(`done in ${elapsed()}`)
  if (problems.length > 0) process.exitCode = 1
} finally {
  for (const child of processes) child.stop()
}
