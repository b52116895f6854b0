/**
 * The process valgrind counts, one kind of call per process:
 * - `instruction-count.cjs hot <client> <variant> <propagator> <warm-up> <calls>`: no-I/O client
 *   calls (lib/hot-calls.ts), one after another;
 * - `op <ours|otel> <operation> <warm-up> <calls>`: a propagator operation (lib/propagator-operations.ts);
 * - `server <variant> <propagator> <warm-up> <calls>`: no-I/O server requests (lib/no-io-server.ts);
 * - `metrics <none|sdk> <off|on|by-hand> <target> <propagator> <warm-up> <calls>`: a metrics call
 *   (lib/metrics-calls.ts).
 * Nothing is timed: callgrind counts the window between `windowStarts()` and `windowEnds()`
 * (lib/instructions.ts), the warm-up left out.
 */
import { context } from '@opentelemetry/api'
import { type HotVariant, hotCall, spansPerCall } from '../lib/hot-calls'
import type { MetricsProvider, MetricsTarget, MetricsVariant } from '../lib/metrics-benchmark'
import { metricsCalls } from '../lib/metrics-calls'
import { type ServerVariant, serverRequest } from '../lib/no-io-server'
import { type OperationName, operations } from '../lib/propagator-operations'
import { type PropagatorChoice, requestContext, setupSdk } from '../lib/sdk'
import type { ClientName } from '../lib/variants'

// callgrind counts from the first native call of one to the first of the other (its
// --zero-before and --dump-before options, lib/instructions.ts): nothing else in the process
// calls either, so start-up, warm-up and exit stay out of the count.
const windowStarts = () => process.cpuUsage()
const windowEnds = () => process.memoryUsage.rss()

/** `warmUp` calls, then `calls` counted ones, each awaited, in the request context; returns how many in all. */
async function countedCalls(call: () => unknown, warmUp: string, calls: string): Promise<number> {
  await context.with(requestContext(), async () => {
    for (let i = 0; i < Number(warmUp); i++) await call()
    windowStarts()
    for (let i = 0; i < Number(calls); i++) await call()
    windowEnds()
  })
  return Number(warmUp) + Number(calls)
}

async function hot([client, variant, propagator, warmUp, calls]: string[]): Promise<void> {
  const sdk = setupSdk(propagator as PropagatorChoice, { exportOnlyFullBatches: true })
  const call = hotCall(client as ClientName, variant as HotVariant)
  const total = await countedCalls(call, warmUp!, calls!)
  const spans = await sdk.exportedSpans()
  // The parent span of requestContext() is never ended: only the calls' spans are counted.
  if (spans !== total * spansPerCall(variant as HotVariant)) {
    throw new Error(`${client} ${variant}: ${total} calls ended ${spans} spans`)
  }
}

function op([side, operation, warmUp, calls]: string[]): void {
  const run = operations(side as 'ours' | 'otel')[operation as OperationName]
  let sink = 0
  for (let i = 0; i < Number(warmUp); i++) sink += run()
  windowStarts()
  for (let i = 0; i < Number(calls); i++) sink += run()
  windowEnds()
  // Read, so the work cannot be dropped.
  if (sink === -1) console.log(sink)
}

async function server([variant, propagator, warmUp, calls]: string[]): Promise<void> {
  const sdk = setupSdk(propagator as PropagatorChoice, { exportOnlyFullBatches: true })
  const request = serverRequest(variant as ServerVariant)
  const total = Number(warmUp) + Number(calls)
  for (let i = 0; i < Number(warmUp); i++) await request()
  windowStarts()
  for (let i = 0; i < Number(calls); i++) await request()
  windowEnds()
  const spans = await sdk.exportedSpans()
  if (spans !== (variant === 'bare' ? 0 : total))
    throw new Error(`${variant}: ${total} requests ended ${spans} spans`)
}

// The metrics calls (lib/metrics-calls.ts) in the request context: one provider × variant per process.
async function metricsRun([provider, variant, target, propagator, warmUp, calls]: string[]): Promise<void> {
  setupSdk(propagator as PropagatorChoice, { exportOnlyFullBatches: true })
  const built = metricsCalls(provider as MetricsProvider, variant as MetricsVariant)
  const call = built.calls[target as MetricsTarget]
  const total = await countedCalls(call, warmUp!, calls!)
  if (provider !== 'sdk') return
  // Every call of a recording variant must have recorded one duration, or it counted less.
  const recorded = await built.recorded()
  const expected = variant === 'off' ? 0 : total
  if (recorded !== expected)
    throw new Error(`${target} ${provider}/${variant}: ${total} calls recorded ${recorded}`)
}

const kinds: Record<string, (args: string[]) => unknown> = { hot, op, server, metrics: metricsRun }
const [kind, ...args] = process.argv.slice(2)
Promise.resolve(kinds[kind!]!(args)).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
