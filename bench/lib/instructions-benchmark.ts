/**
 * The no-I/O hot path, the propagators and a no-I/O server request, counted in instructions (lib/instructions.ts): the
 * steady judge for the targets whose gaps are a few percent, inside what CPU time resolves on a
 * shared machine. Deltas against bare in instructions per call; no repetitions are needed (the
 * same run gives the same count).
 */

import { countFrameworks } from './framework-instructions'
import { HOT_VARIANTS, type HotVariant } from './hot-calls'
import { countingUnavailable, instructionsPerCall, STEADY_WINDOWS } from './instructions'
import { METRICS_LABELS, METRICS_RUNS, METRICS_TARGETS } from './metrics-benchmark'
import { SERVER_VARIANTS, type ServerVariant } from './no-io-server'
import type { BenchOptions } from './options'
import { count, markdownTable, plusCount as plus } from './report'
import type { Targets } from './targets'
import { eachClientVariant, twoAtATime } from './two-at-a-time'
import { CLIENT_LABELS } from './variants'

const SERVER_LABELS: Record<ServerVariant, string> = {
  bare: 'node:http handler, bare',
  'by-hand': 'SDK floor by hand',
  'by-hand-semconv': 'SDK floor by hand, with the same attributes',
  listener: 'traceRequestListener',
  express: 'expressTracing (middleware alone)',
  koa: 'koaTracing (middleware alone)',
}
// The server targets: traceRequestListener within 1.1× the floor; Express and Koa at the floor.
const SERVER_LIMITS: Partial<Record<ServerVariant, number>> = { listener: 1.1, express: 1, koa: 1 }

// The cheapest of four windows (lib/instructions.ts): V8's one-off work in the first ones is not
// a call's steady cost. A quick run counts one.
const windowsFor = (quick: boolean) => (quick ? 1 : STEADY_WINDOWS)
const windowsText = (quick: boolean) =>
  quick ? 'one window' : `the cheapest of ${windowsFor(quick)} windows`

/**
 * Counts every client's hot-path variants and both propagators' extract and inject, adds their
 * targets and prints the tables; returns the problems (none: a count cannot be noisy).
 */
export async function instructionsBenchmark(
  { clients, propagator, quick }: BenchOptions,
  targets: Targets,
  log: (line: string) => void,
): Promise<string[]> {
  const unavailable = countingUnavailable()
  if (unavailable) {
    log(`instructions: skipped, ${unavailable}`)
    return []
  }
  const [warmUp, calls] = quick ? [2000, 2000] : [20_000, 20_000]
  const windows = windowsFor(quick)
  const hot = await eachClientVariant(
    clients,
    () => HOT_VARIANTS,
    (client, variant) => instructionsPerCall(['hot', client, variant, propagator], warmUp, calls, windows),
  )
  const rows: string[][] = []
  for (const client of clients) {
    const of = (variant: HotVariant) => hot(client, variant)
    const over = (variant: HotVariant) => of(variant) - of('bare')
    rows.push([
      CLIENT_LABELS[client],
      count(of('bare')),
      ...HOT_VARIANTS.slice(1).map((variant) => plus(over(variant))),
    ])
    targets.addClient(
      `${CLIENT_LABELS[client]}, no I/O, instructions`,
      (variant) =>
        (HOT_VARIANTS as readonly string[]).includes(variant) ? over(variant as HotVariant) : undefined,
      {
        unit: 'instructions',
      },
    )
  }
  console.log(
    `\n### Instructions per call without I/O (callgrind; ${windowsText(quick)} of ${count(calls)} calls after ${count(warmUp)}; over bare)\n`,
  )
  console.log(
    markdownTable(
      ['client', 'bare', 'by hand: inject', 'spans off', 'by hand: span + inject', 'spans on'],
      rows,
    ),
  )

  const operations = ['extract', 'inject'] as const
  const ops = await twoAtATime(
    operations.flatMap((operation) =>
      (['ours', 'otel'] as const).map(
        (side) => () => instructionsPerCall(['op', side, operation], warmUp * 5, calls * 5, windows),
      ),
    ),
  )
  const opRows = operations.map((operation, i) => {
    const [ours, otel] = [ops[2 * i]!, ops[2 * i + 1]!]
    targets.add({
      target: `w3c ${operation}, instructions per operation`,
      unit: 'instructions',
      ours,
      reference: otel,
      referenceName: '@opentelemetry/core',
      limit: 1,
    })
    return [operation, count(ours), count(otel), `${(ours / otel).toFixed(2)}×`]
  })
  console.log(
    '\n### W3C trace context, instructions per operation (traceContextPropagator() vs @opentelemetry/core)\n',
  )
  console.log(markdownTable(['operation', 'ours', '@opentelemetry/core', 'ours / theirs'], opRows))

  // A server request is heavier than a client call: fewer, so a variant stays within minutes.
  const [serverWarmUp, requests] = quick ? [1000, 1000] : [5000, 5000]
  const served = await twoAtATime(
    SERVER_VARIANTS.map(
      (variant) => () =>
        instructionsPerCall(['server', variant, propagator], serverWarmUp, requests, windows),
    ),
  )
  const bare = served[0]!
  const floor = served[1]! - bare
  // The floor with the attributes the adapters set: what the SDK charges for them, beside the
  // target's floor, so the adapter's own share can be read apart from it (no target of its own).
  const sameAttributes = served[2]! - bare
  const serverRows = SERVER_VARIANTS.map((variant, i) => {
    const added = served[i]! - bare
    const limit = SERVER_LIMITS[variant]
    if (limit) {
      targets.add({
        target: `${SERVER_LABELS[variant]}, no I/O, instructions`,
        unit: 'instructions',
        ours: added,
        reference: floor,
        referenceName: 'SDK floor by hand',
        limit,
      })
    }
    return [
      SERVER_LABELS[variant],
      count(served[i]!),
      i === 0 ? '' : plus(added),
      i < 2 ? '' : `${(added / floor).toFixed(2)}×`,
      i < 3 ? '' : `${(added / sameAttributes).toFixed(2)}×`,
    ]
  })
  console.log(
    `\n### Server requests without I/O, instructions per request (callgrind; ${windowsText(quick)} of ${count(requests)} after ${count(serverWarmUp)}; lib/no-io-server.ts)\n`,
  )
  console.log(
    markdownTable(
      [
        'server',
        'instructions',
        'over bare',
        'ratio to the floor',
        'ratio to the floor with the same attributes',
      ],
      serverRows,
    ),
  )
  await countFrameworks(propagator, { warmUp: serverWarmUp, requests, windows }, targets)
  await countMetrics(propagator, quick, targets)
  return []
}

// "No measurable cost" in instructions: within 1 % of the call's own count, below what the timed
// metrics part resolves between two identical processes.
const NEAR_ZERO_SHARE = 0.01

// Calls per window: JIT settled first (3 000 were too few: deltas of ±2 000 between identical
// variants); axios's calls are 10× the others', so fewer of them.
const metricsWindow = (target: string, quick: boolean): [number, number] =>
  quick ? [500, 500] : target.startsWith('axios') ? [5000, 5000] : [15_000, 15_000]

/**
 * The metrics calls (lib/metrics-calls.ts) counted per provider × variant, with their two
 * targets; prints their table. Also run alone by bench/metrics-instructions.ts.
 */
export async function countMetrics(propagator: string, quick: boolean, targets: Targets): Promise<void> {
  const counted = await twoAtATime(
    METRICS_TARGETS.flatMap((target) =>
      METRICS_RUNS.map(([provider, variant]) => () => {
        const [warmUp, calls] = metricsWindow(target, quick)
        return instructionsPerCall(
          ['metrics', provider, variant, target, propagator],
          warmUp,
          calls,
          windowsFor(quick),
        )
      }),
    ),
  )
  const rows = METRICS_TARGETS.map((target, t) => {
    const [noneOff, noneOn, sdkOff, sdkByHand, sdkOn] = counted.slice(t * 5, t * 5 + 5) as number[]
    const idle = noneOn! - noneOff!
    const recording = sdkOn! - sdkOff!
    const byHand = sdkByHand! - sdkOff!
    const label = `${METRICS_LABELS[target]}, metrics, instructions`
    // With spans: false, axios keeps its response interceptor for the metrics: a promise step.
    if (target !== 'axios-spans-off') {
      targets.add({
        target: `${label}: no MeterProvider`,
        unit: 'instructions',
        ours: idle,
        reference: noneOff!,
        referenceName: 'the call itself (metrics: false)',
        limit: NEAR_ZERO_SHARE,
      })
    }
    targets.add({
      target: `${label}: SDK MeterProvider`,
      unit: 'instructions',
      ours: recording,
      reference: byHand,
      referenceName: 'by hand: histogram.record',
      limit: 1.1,
    })
    return [
      METRICS_LABELS[target],
      count(noneOff!),
      plus(idle),
      count(sdkOff!),
      plus(byHand),
      plus(recording),
      `${(recording / byHand).toFixed(2)}×`,
    ]
  })
  const [axiosWarmUp, axiosCalls] = metricsWindow('axios', quick)
  const [warmUp, calls] = metricsWindow('fetch', quick)
  console.log(
    `\n### HTTP metrics, instructions per call (callgrind; ${windowsText(quick)} of ${count(calls)} calls after ${count(warmUp)}, axios ${count(axiosCalls)} after ${count(axiosWarmUp)}; lib/metrics-calls.ts)\n`,
  )
  console.log(
    markdownTable(
      [
        'adapter',
        'no provider: metrics off',
        'no provider: metrics on',
        'SDK provider: metrics off',
        'by hand: histogram.record',
        'metrics on',
        'ours / by hand',
      ],
      rows,
    ),
  )
}
