/**
 * The process valgrind counts, one kind of call per process:
 * - `instruction-count.cjs hot <client> <variant> <propagator> <warm-up> <calls> <windows>`: no-I/O
 *   client calls (lib/hot-calls.ts), one after another;
 * - `op <ours|otel> <operation> <warm-up> <calls> <windows>`: a propagator operation (lib/propagator-operations.ts);
 * - `server <variant> <propagator> <warm-up> <calls> <windows>`: no-I/O server requests (lib/no-io-server.ts);
 * - `framework <fastify|hono> <bare|ours|peer> <propagator> <warm-up> <calls> <windows>`: a
 *   Fastify or Hono request without a socket (lib/no-io-framework.ts);
 * - `metrics <none|sdk> <off|on|by-hand> <target> <propagator> <warm-up> <calls> <windows>`: a
 *   metrics call (lib/metrics-calls.ts);
 * - `loopback <client> <variant> <propagator> <port> <concurrency> <warm-up> <requests> <windows>`:
 *   real requests to the loopback server on `port` (another process, not counted), closed loop,
 *   counted in `windows` windows of `requests` each (one callgrind dump per window).
 * Nothing is timed: callgrind counts each window between `windowStarts()` and `windowEnds()`
 * (lib/instructions.ts), the warm-up left out; `<calls>` calls (or requests) a window.
 */
import { context } from '@opentelemetry/api'
import { registerAutoInstrumentation } from '../lib/auto-instrumentation'
import { clientVariants } from '../lib/clients/client-variants'
import type { FrameworkMode } from '../lib/framework-apps'
import { type HotVariant, hotCall, spansPerCall } from '../lib/hot-calls'
import type { MetricsProvider, MetricsTarget, MetricsVariant } from '../lib/metrics-benchmark'
import { metricsCalls } from '../lib/metrics-calls'
import type { CountedFramework } from '../lib/no-io-framework'
import { type ServerVariant, serverRequest } from '../lib/no-io-server'
import { type OperationName, operations } from '../lib/propagator-operations'
import { constantHeaders, type PropagatorChoice, requestContext, setupSdk } from '../lib/sdk'
import { type ClientName, SPAN_VARIANTS, type VariantName } from '../lib/variants'

// callgrind counts from the first native call of one to the first of the other (its
// --zero-before and --dump-before options, lib/instructions.ts): nothing else in the process
// calls either, so start-up, warm-up and exit stay out of the count.
const windowStarts = () => process.cpuUsage()
const windowEnds = () => process.memoryUsage.rss()

/** `warmUp` calls, then `windows` counted windows of `calls` each, every call awaited; returns how many in all. */
async function windowedCalls(
  call: () => unknown,
  warmUp: string,
  calls: string,
  windows: string,
): Promise<number> {
  for (let i = 0; i < Number(warmUp); i++) await call()
  for (let window = 0; window < Number(windows); window++) {
    windowStarts()
    for (let i = 0; i < Number(calls); i++) await call()
    windowEnds()
  }
  return Number(warmUp) + Number(windows) * Number(calls)
}

/** {@link windowedCalls} in the request context: what a client call runs in. */
function countedCalls(call: () => unknown, warmUp: string, calls: string, windows: string): Promise<number> {
  return context.with(requestContext(), () => windowedCalls(call, warmUp, calls, windows))
}

async function hot([client, variant, propagator, warmUp, calls, windows]: string[]): Promise<void> {
  const sdk = setupSdk(propagator as PropagatorChoice, { exportOnlyFullBatches: true })
  const call = hotCall(client as ClientName, variant as HotVariant)
  const total = await countedCalls(call, warmUp!, calls!, windows!)
  const spans = await sdk.exportedSpans()
  // The parent span of requestContext() is never ended: only the calls' spans are counted.
  if (spans !== total * spansPerCall(variant as HotVariant)) {
    throw new Error(`${client} ${variant}: ${total} calls ended ${spans} spans`)
  }
}

function op([side, operation, warmUp, calls, windows]: string[]): void {
  const run = operations(side as 'ours' | 'otel')[operation as OperationName]
  let sink = 0
  for (let i = 0; i < Number(warmUp); i++) sink += run()
  for (let window = 0; window < Number(windows); window++) {
    windowStarts()
    for (let i = 0; i < Number(calls); i++) sink += run()
    windowEnds()
  }
  // Read, so the work cannot be dropped.
  if (sink === -1) console.log(sink)
}

async function server([variant, propagator, warmUp, calls, windows]: string[]): Promise<void> {
  const sdk = setupSdk(propagator as PropagatorChoice, { exportOnlyFullBatches: true })
  const total = await windowedCalls(serverRequest(variant as ServerVariant), warmUp!, calls!, windows!)
  const spans = await sdk.exportedSpans()
  if (spans !== (variant === 'bare' ? 0 : total))
    throw new Error(`${variant}: ${total} requests ended ${spans} spans`)
}

async function framework([name, mode, propagator, warmUp, calls, windows]: string[]): Promise<void> {
  const sdk = setupSdk(propagator as PropagatorChoice, { exportOnlyFullBatches: true })
  // Loaded only here: the other kinds' processes never evaluate Fastify or Hono.
  const { frameworkRequest } = await import('../lib/no-io-framework')
  const request = await frameworkRequest(name as CountedFramework, mode as FrameworkMode)
  const total = await windowedCalls(request, warmUp!, calls!, windows!)
  const spans = await sdk.exportedSpans()
  if (spans !== (mode === 'bare' ? 0 : total))
    throw new Error(`${name} ${mode}: ${total} requests ended ${spans} spans`)
}

// The metrics calls (lib/metrics-calls.ts) in the request context: one provider × variant per process.
async function metricsRun([
  provider,
  variant,
  target,
  propagator,
  warmUp,
  calls,
  windows,
]: string[]): Promise<void> {
  setupSdk(propagator as PropagatorChoice, { exportOnlyFullBatches: true })
  const built = metricsCalls(provider as MetricsProvider, variant as MetricsVariant)
  const call = built.calls[target as MetricsTarget]
  const total = await countedCalls(call, warmUp!, calls!, windows!)
  if (provider !== 'sdk') return
  // Every call of a recording variant must have recorded one duration, or it counted less.
  const recorded = await built.recorded()
  const expected = variant === 'off' ? 0 : total
  if (recorded !== expected)
    throw new Error(`${target} ${provider}/${variant}: ${total} calls recorded ${recorded}`)
}

/** `requests` requests, `concurrency` at a time, each sent when one completes. */
async function closedLoop(
  send: () => Promise<unknown>,
  concurrency: number,
  requests: number,
): Promise<void> {
  let left = requests
  const worker = async () => {
    while (left > 0) {
      left--
      await send()
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

// The loopback client variants of lib/clients/ over real sockets: what the timed loopback rows
// measure in CPU time, counted in user-space instructions (the kernel's share is not counted).
async function loopback(args: string[]): Promise<void> {
  const [client, variant, propagator, port, concurrency, warmUp, requests, windows] = args as [
    ClientName,
    VariantName,
    PropagatorChoice,
    ...string[],
  ]
  const sdk = setupSdk(propagator, { exportOnlyFullBatches: true })
  if (variant === 'auto') registerAutoInstrumentation(client)
  const ctx = requestContext()
  const variants = (await clientVariants(client))(
    `http://127.0.0.1:${port}/items/42?view=full`,
    constantHeaders(ctx),
  )
  const send = variants[variant]
  if (!send) throw new Error(`${client} has no ${variant} variant`)
  const total = Number(warmUp) + Number(windows) * Number(requests)
  await context.with(ctx, async () => {
    await closedLoop(send, Number(concurrency), Number(warmUp))
    for (let window = 0; window < Number(windows); window++) {
      windowStarts()
      await closedLoop(send, Number(concurrency), Number(requests))
      windowEnds()
    }
  })
  const spans = await sdk.exportedSpans()
  const expected = SPAN_VARIANTS.includes(variant) ? total : 0
  if (spans !== expected) throw new Error(`${client} ${variant}: ${total} requests ended ${spans} spans`)
}

const kinds: Record<string, (args: string[]) => unknown> = {
  hot,
  op,
  server,
  framework,
  metrics: metricsRun,
  loopback,
}
const [kind, ...args] = process.argv.slice(2)
// Exits when done: sockets a loopback client keeps alive would hold the process open.
Promise.resolve(kinds[kind!]!(args)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
