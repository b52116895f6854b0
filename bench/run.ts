/**
 * `pnpm bench`: client overhead of each adapter against bare clients, constant headers and
 * OpenTelemetry's auto-instrumentation; server overhead of `traceRequestListener`; and our W3C
 * trace-context propagator against @opentelemetry/core's. Every number is relative to a baseline
 * measured in the same repetition; variants alternate within the run. Not a test: it prints tables.
 */
import { cpus } from 'node:os'
import { buildStalePackages, DIST_TSCONFIG } from './lib/built-packages'
import { type BenchProcess, startProcess } from './lib/ipc'
import { type BenchOptions, parseOptions, USAGE } from './lib/options'
import {
  absolute,
  checkSegments,
  compare,
  delta,
  markdownTable,
  micros,
  ratio,
  type Segment,
  type ServerCounts,
} from './lib/report'
import { rotate } from './lib/schedule'
import { median } from './lib/stats'
import { verdict } from './lib/targets'
import type { ClientName, VariantName } from './lib/variants'

const LABELS: Record<ClientName, string> = {
  fetch: 'fetch (Node global)',
  undici: 'undici.request',
  axios: 'axios',
}
const AUTO: Record<ClientName, string> = {
  fetch: 'instrumentation-undici',
  undici: 'instrumentation-undici',
  axios: 'instrumentation-http',
}

const options = parseOptions(process.argv.slice(2), process.env)
if (!options) {
  console.log(USAGE)
  process.exit(0)
}

const started = performance.now()
const log = (line: string) => process.stderr.write(`${line}\n`)
const processes: BenchProcess[] = []
if (!options.source) buildStalePackages(log)
const profiling = options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir=bench/profiles'] : []
const tsconfig = options.source ? undefined : DIST_TSCONFIG
function start(script: string, args: string[]): BenchProcess {
  const child = startProcess(script, args, { execArgv: profiling, tsconfig })
  processes.push(child)
  return child
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
  await client.call('load', { ...request, phase: 'warmup', durationMs: options!.warmupMs })
  await server.call('reset')
  const load = await client.call<Segment['load']>('load', {
    ...request,
    phase: 'measure',
    durationMs: options!.durationMs,
  })
  const counts = await server.call<ServerCounts>('read')
  return { load, server: counts }
}

async function clientBenchmark({ clients, variants, concurrency, reps }: BenchOptions) {
  const runs = new Map<string, Segment[]>()
  const key = (client: ClientName, c: number, variant: VariantName) => `${client}/${c}/${variant}`
  for (const client of clients) for (const variant of variants) await clientProcess(client, variant).ready
  // A longer warm-up per variant, so the first repetition is not the JIT's.
  for (const client of clients) {
    for (const variant of variants) {
      const child = clientProcess(client, variant)
      await child.call('load', {
        variant,
        port,
        concurrency: 8,
        phase: 'warmup',
        durationMs: Math.max(300, options!.warmupMs * 4),
      })
    }
  }
  for (let rep = 0; rep < reps; rep++) {
    log(`clients: repetition ${rep + 1}/${reps} (${((performance.now() - started) / 1000).toFixed(0)} s)`)
    for (const c of concurrency) {
      for (const client of clients) {
        for (const variant of rotate(variants, rep)) {
          const result = await segment(clientProcess(client, variant), bareServer, port, variant, c)
          const list = runs.get(key(client, c, variant)) ?? []
          list.push(result)
          runs.set(key(client, c, variant), list)
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
      const autoRuns = runs.get(key(client, c, 'auto'))
      const auto = autoRuns ? compare(autoRuns, bare) : undefined
      for (const variant of variants) {
        const segments = runs.get(key(client, c, variant)) ?? []
        const problem = checkSegments(variant, segments)
        if (problem) problems.push(`${LABELS[client]} c=${c} ${variant}: ${problem}`)
        const name = variant === 'auto' ? `auto (${AUTO[client]})` : variant
        if (variant === 'bare') {
          rows.push([
            LABELS[client],
            String(c),
            name,
            `${base.throughput.toFixed(0)} req/s`,
            micros(base.p50),
            micros(base.p99),
            `${base.cpu.toFixed(1)} µs`,
            '',
          ])
          continue
        }
        const result = compare(segments, bare)
        rows.push([
          '',
          String(c),
          name,
          ratio(result.throughput),
          ratio(result.p50),
          ratio(result.p99),
          delta(result.cpu, result.cpuRatio),
          verdict(variant, c, result, variant.startsWith('spans') ? auto : undefined),
        ])
      }
    }
  }
  console.log('\n### Client overhead (ratios and deltas against bare, same repetition; medians)\n')
  console.log(
    markdownTable(
      ['client', 'c', 'variant', 'throughput', 'p50', 'p99', 'client CPU/req', 'target (issue 2)'],
      rows,
    ),
  )
  return problems
}

async function serverBenchmark({ concurrency, reps, propagator }: BenchOptions) {
  const names = ['bare', 'manual', 'traced'] as const
  type ServerName = (typeof names)[number]
  const servers: Record<ServerName, { process: BenchProcess; port: number }> = {
    bare: { process: bareServer, port },
    manual: await serverProcess('manual'),
    traced: await serverProcess('traced'),
  }
  async function serverProcess(mode: ServerName) {
    const child = start('server.ts', [mode, propagator])
    return { process: child, port: (await child.ready).port as number }
  }
  // The load: undici.request with constant traceparent/baggage, as traced callers send.
  const client = clientProcess('undici', 'headers')
  await client.ready
  const runs: Record<ServerName, Map<number, Segment[]>> = {
    bare: new Map(),
    manual: new Map(),
    traced: new Map(),
  }
  // The SDK servers start cold: give every JIT a full second first.
  for (const name of names) {
    await client.call('load', {
      variant: 'headers',
      port: servers[name].port,
      concurrency: 8,
      phase: 'warmup',
      durationMs: Math.max(1000, options!.warmupMs * 4),
    })
  }
  for (let rep = 0; rep < reps; rep++) {
    log(`server: repetition ${rep + 1}/${reps} (${((performance.now() - started) / 1000).toFixed(0)} s)`)
    for (const c of concurrency) {
      for (const name of rotate(names, rep)) {
        const { process: server, port: serverPort } = servers[name]
        const result = await segment(client, server, serverPort, 'headers', c)
        runs[name].set(c, [...(runs[name].get(c) ?? []), result])
      }
    }
  }
  const rows: string[][] = []
  const problems: string[] = []
  const labels: Record<ServerName, string> = {
    bare: 'bare',
    manual: 'SDK floor: extract + span by hand',
    traced: 'traceRequestListener',
  }
  for (const c of concurrency) {
    const bare = runs.bare.get(c) ?? []
    const base = absolute(bare)
    rows.push([
      String(c),
      labels.bare,
      `${base.throughput.toFixed(0)} req/s`,
      micros(base.p50),
      micros(base.p99),
      `${base.serverCpu.toFixed(1)} µs`,
      '',
    ])
    for (const name of ['manual', 'traced'] as const) {
      const segments = runs[name].get(c) ?? []
      const problem = checkSegments('traced-server', segments)
      if (problem) problems.push(`${name} server c=${c}: ${problem}`)
      const result = compare(segments, bare)
      rows.push([
        '',
        labels[name],
        ratio(result.throughput),
        ratio(result.p50),
        ratio(result.p99),
        delta(result.serverCpu, result.serverCpuRatio),
        name === 'traced' ? `≥ 0.95× ${result.throughput >= 0.95 ? 'met' : 'MISSED'}` : '',
      ])
    }
  }
  console.log('\n### Server overhead: node:http, bare vs traced (ratios and deltas against bare; medians)\n')
  console.log(
    markdownTable(['c', 'server', 'throughput', 'p50', 'p99', 'server CPU/req', 'target (issue 3)'], rows),
  )
  return problems
}

/**
 * The adapters' own CPU per call, the transport replaced by an immediate answer: bare, the two
 * by-hand references and the adapter with spans off and on, each in a process of its own, rounds
 * alternating, deltas against bare of the same repetition.
 */
async function hotPathBenchmark({ clients, reps, durationMs, propagator }: BenchOptions) {
  log(`hot path (${((performance.now() - started) / 1000).toFixed(0)} s)`)
  const variants = ['bare', 'hand-inject', 'spans-off', 'hand-span', 'spans-on'] as const
  type HotVariant = (typeof variants)[number]
  const rows: string[][] = []
  for (const client of clients) {
    const children = Object.fromEntries(
      variants.map((variant) => [variant, start('hot-path.ts', [client, variant, propagator])]),
    ) as Record<HotVariant, BenchProcess>
    for (const variant of variants) await children[variant].ready
    for (const variant of variants) await children[variant].call('run', { roundMs: 500 })
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
    const deltaOf = (variant: HotVariant) =>
      median(samples[variant].map((value, rep) => value - samples.bare[rep]!))
    const plus = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)} µs`
    const [handInject, off, handSpan, on] = [
      deltaOf('hand-inject'),
      deltaOf('spans-off'),
      deltaOf('hand-span'),
      deltaOf('spans-on'),
    ]
    rows.push([
      LABELS[client],
      `${median(samples.bare).toFixed(1)} µs`,
      plus(handInject),
      plus(off),
      `≤ +3 µs ${off <= 3 ? 'met' : 'MISSED'}`,
      plus(handSpan),
      plus(on),
      `≤ +8 µs ${on <= 8 ? 'met' : 'MISSED'}`,
    ])
  }
  console.log('\n### Client CPU per call without I/O (transport answered at once; medians)\n')
  console.log(
    markdownTable(
      [
        'client',
        'bare',
        'by hand: inject',
        'spans off',
        'target',
        'by hand: span + inject',
        'spans on',
        'target',
      ],
      rows,
    ),
  )
  console.log(
    '\n"By hand" is the same work written as plainly as the OpenTelemetry API allows (bench/lib/by-hand.ts), ' +
      'measured in the same run: the µs targets were set on a faster machine, the by-hand columns show ' +
      "what this machine's µs are worth.",
  )
  return []
}

async function microBenchmark({ reps }: BenchOptions) {
  log(`propagators (${((performance.now() - started) / 1000).toFixed(0)} s)`)
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
    result[name]!.ratio > 1 ? 'faster: met' : 'MISSED',
  ])
  console.log('\n### W3C trace context: @otel-http/core vs @opentelemetry/core (medians)\n')
  console.log(
    markdownTable(['operation', 'functions', 'ours', '@opentelemetry/core', 'ours / theirs', 'target'], rows),
  )
  return []
}

try {
  console.log(
    `otel-http bench — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; ` +
      `${options.reps} repetitions × ${options.durationMs} ms (warm-up ${options.warmupMs} ms); ` +
      `propagator: ${options.propagator === 'otel' ? '@opentelemetry/core W3C' : 'otel-http w3cPropagator()'}; ` +
      `adapters from ${options.source ? 'sources (tsx)' : 'built dist'}`,
  )
  const problems: string[] = []
  if (options.parts.includes('clients')) problems.push(...(await clientBenchmark(options)))
  if (options.parts.includes('hot-path')) problems.push(...(await hotPathBenchmark(options)))
  if (options.parts.includes('server')) problems.push(...(await serverBenchmark(options)))
  if (options.parts.includes('micro')) problems.push(...(await microBenchmark(options)))
  for (const problem of problems) console.log(`\nCHECK FAILED: ${problem}`)
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  if (problems.length > 0) process.exitCode = 1
} finally {
  for (const child of processes) child.stop()
}
