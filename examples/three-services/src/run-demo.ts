import { diag } from '@opentelemetry/api'
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base'
import { type DemoSpan, toDemoSpan } from './demo-span'
import { type ExportSummary, ExportTally } from './export-tally'
import { type LambdaRuntime, startLambdaRuntime } from './invoke-lambda'
import type { Running } from './listen'
import { LocalQueue } from './local-queue'
import { otlpTracesUrl } from './otlp-endpoint'
import { ServiceMeters, type ServiceRequestStats } from './service-metrics'
import { createServiceProvider } from './service-tracing'
import { startGateway } from './services/gateway'
import { startNotifier } from './services/notifier'
import { startServiceA } from './services/service-a'
import { startServiceB } from './services/service-b'
import { startServiceC } from './services/service-c'
import { startThirdParty } from './services/third-party'
import { SpanTracker } from './span-tracker'
import { installW3cGlobals } from './w3c-globals'

/** What the demo's own client forges, as an attacker on the internet could. */
export const FORGED = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  baggage: 'user_id=mallory',
} as const

export interface DemoOptions {
  /** Sent as `x-user-id` to the gateway. Default `alice`. */
  userId?: string
  /**
   * Also export over OTLP/HTTP. Default: when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`)
   * is set. `pnpm demo` checks first that the endpoint answers.
   */
  otlp?: boolean
  /** How long to wait for the last spans to end after each step. Default 10 s. */
  timeoutMs?: number
}

export interface DemoResult {
  /** The trace the gateway started. */
  traceId: string
  /** Every span of that trace, in every process, by start time. */
  spans: DemoSpan[]
  /**
   * Spans recorded in other traces: the Lambda invocation's span, which by the messaging
   * conventions is linked to each message it received rather than parented on one.
   */
  linkedSpans: DemoSpan[]
  /** The gateway's status code for `GET /checkout`. */
  status: number
  /** Header names of each request the third party received. */
  thirdPartyReceived: string[][]
  /** What the receipts Lambda returned, if it was invoked. */
  lambdaResult: unknown
  /** Per service (the Lambda aside): requests served and made, from the HTTP metrics. */
  requests: ServiceRequestStats[]
  /** How the OTLP export went, in both processes; only when exporting. */
  otlp?: ExportSummary
}

const byStart = (x: DemoSpan, y: DemoSpan) =>
  Number(BigInt(x.startTimeUnixNano) - BigInt(y.startTimeUnixNano))

/**
 * Starts the gateway, services A, B and C, the notifier and the third party on loopback ports,
 * sends one `GET /checkout` with a forged `traceparent` and Baggage, delivers the job service C
 * enqueued to the receipts Lambda in a child process, waits until every span has ended, stops
 * everything and returns the spans. Installs the AsyncLocalStorage context manager and the W3C
 * propagators for the duration of the call; each service has its own TracerProvider.
 *
 * @example
 * const { traceId, spans } = await runDemo()
 */
export async function runDemo({
  userId = 'alice',
  otlp = otlpTracesUrl() !== undefined,
  timeoutMs = 10_000,
}: DemoOptions = {}): Promise<DemoResult> {
  const uninstall = installW3cGlobals()
  const tally = otlp ? new ExportTally() : undefined
  const restoreErrorHandler = tally?.handleGlobalErrors()
  const collector = new InMemorySpanExporter()
  const tracker = new SpanTracker()
  const provider = (name: string) => createServiceProvider(name, { collector, tracker, otlp: tally })
  const providers = {
    gateway: provider('gateway'),
    a: provider('service-a'),
    b: provider('service-b'),
    c: provider('service-c'),
    notifier: provider('notifier'),
  }
  const metered = (name: string) => new ServiceMeters(name, { otlp })
  const meters = {
    gateway: metered('gateway'),
    a: metered('service-a'),
    b: metered('service-b'),
    c: metered('service-c'),
    notifier: metered('notifier'),
  }
  /** What every service is started with: its own tracer and meter providers. */
  const telemetryOf = (service: keyof typeof providers & keyof typeof meters) => ({
    tracerProvider: providers[service],
    meterProvider: meters[service].provider,
  })
  const receipts = new LocalQueue('receipts')
  // Our own services, filled in as they start: the only origins that receive trace headers.
  const internal = new Set<string>()
  const propagateTo = (url: URL) => internal.has(url.origin)
  const running: Running[] = []
  let lambda: LambdaRuntime | undefined
  let result: DemoResult
  const started = <R extends Running>(service: R): R => {
    running.unshift(service)
    return service
  }
  const ours = <R extends Running>(service: R): R => {
    internal.add(new URL(service.url).origin)
    return started(service)
  }

  try {
    const thirdParty = started(await startThirdParty())
    const notifier = ours(await startNotifier(telemetryOf('notifier')))
    lambda = startLambdaRuntime({ NOTIFIER_URL: notifier.url, DEMO_OTLP: otlp ? '1' : '0' })
    const c = ours(
      await startServiceC({ ...telemetryOf('c'), propagateTo, scoring: thirdParty.url, receipts }),
    )
    const b = ours(await startServiceB({ ...telemetryOf('b'), propagateTo, risk: c.url }))
    const a = ours(await startServiceA({ ...telemetryOf('a'), propagateTo, payments: b.url }))
    const gateway = ours(await startGateway({ ...telemetryOf('gateway'), propagateTo, orders: a.url }))

    await lambda.ready

    // The demo's own client is "the internet": plain fetch, forged context.
    const response = await fetch(`${gateway.url}/checkout`, {
      headers: { 'x-user-id': userId, traceparent: FORGED.traceparent, baggage: FORGED.baggage },
    })
    await response.arrayBuffer()
    await tracker.idle(timeoutMs)

    // Lambda's event source mapping: whatever C enqueued is delivered as one SQS event.
    const invocation = await lambda.invoke(receipts.drainAsLambdaEvent())
    await tracker.idle(timeoutMs)
    if (invocation.otlp) tally?.add(invocation.otlp)

    const all = [...collector.getFinishedSpans().map(toDemoSpan), ...invocation.spans].sort(byStart)
    const traceId = all.find((s) => s.service === 'gateway' && s.kind === 'SERVER')?.traceId ?? ''
    result = {
      traceId,
      spans: all.filter((s) => s.traceId === traceId),
      linkedSpans: all.filter((s) => s.traceId !== traceId),
      status: response.status,
      thirdPartyReceived: thirdParty.received.map((names) => [...names]),
      lambdaResult: invocation.result,
      requests: await Promise.all(Object.values(meters).map((m) => m.requestStats())),
    }
  } finally {
    // Lets the function instance go if the demo failed before delivering its event.
    await lambda?.invoke(undefined).catch(() => {})
    // Exports the metrics, if exporting; a failed export is one line, not one dump per service.
    const failures = await Promise.all(Object.values(meters).map((m) => m.shutdown().catch(String)))
    const failure = failures.find((f) => f !== undefined)
    if (failure !== undefined) {
      diag.warn(
        `demo: metrics not exported over OTLP (${failure}); a backend that takes traces only, such as Jaeger, rejects them: OTEL_METRICS_EXPORTER=none keeps them local`,
      )
    }
    for (const service of running) await service.close()
    // Flushes the OTLP exporters, if any, before the process may exit.
    // A failed export rejects the shutdown; the tally has counted it for the summary.
    await Promise.all(
      Object.values(providers).map((p) => (tally ? p.shutdown().catch(tally.report) : p.shutdown())),
    )
    restoreErrorHandler?.()
    uninstall()
  }
  // Read after the shutdown above: the last batch is exported then.
  return tally ? { ...result, otlp: tally.summary() } : result
}
