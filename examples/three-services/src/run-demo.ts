import { context, propagation } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core'
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base'
import { type DemoSpan, toDemoSpan } from './demo-span'
import type { Running } from './listen'
import { createServiceProvider } from './service-tracing'
import { startGateway } from './services/gateway'
import { startServiceA } from './services/service-a'
import { startServiceB } from './services/service-b'
import { startServiceC } from './services/service-c'
import { startThirdParty } from './services/third-party'
import { SpanTracker } from './span-tracker'

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
  /** Also export over OTLP/HTTP. Default: when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`) is set. */
  otlp?: boolean
  /** How long to wait for the last spans to end after the response. Default 10 s. */
  timeoutMs?: number
}

export interface DemoResult {
  /** The trace the gateway started. */
  traceId: string
  /** Every span the four services recorded, by start time. */
  spans: DemoSpan[]
  /** The gateway's status code for `GET /checkout`. */
  status: number
  /** Header names of each request the third party received. */
  thirdPartyReceived: string[][]
}

const otlpConfigured = (): boolean =>
  Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)

/**
 * Starts the gateway, services A, B and C and the third party on loopback ports, sends one
 * `GET /checkout` with a forged `traceparent` and Baggage, waits until every span has ended,
 * stops everything and returns the spans. Installs the AsyncLocalStorage context manager and the
 * W3C propagators for the duration of the call; each service has its own TracerProvider.
 *
 * @example
 * const { traceId, spans } = await runDemo()
 */
export async function runDemo({
  userId = 'alice',
  otlp = otlpConfigured(),
  timeoutMs = 10_000,
}: DemoOptions = {}): Promise<DemoResult> {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  )
  const collector = new InMemorySpanExporter()
  const tracker = new SpanTracker()
  const provider = (name: string) => createServiceProvider(name, { collector, tracker, otlp })
  const providers = {
    gateway: provider('gateway'),
    a: provider('service-a'),
    b: provider('service-b'),
    c: provider('service-c'),
  }
  // Our own services, filled in as they start: the only origins that receive trace headers.
  const internal = new Set<string>()
  const propagateTo = (url: URL) => internal.has(url.origin)
  const running: Running[] = []
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
    const c = ours(await startServiceC({ tracerProvider: providers.c, propagateTo, scoring: thirdParty.url }))
    const b = ours(await startServiceB({ tracerProvider: providers.b, propagateTo, risk: c.url }))
    const a = ours(await startServiceA({ tracerProvider: providers.a, propagateTo, payments: b.url }))
    const gateway = ours(
      await startGateway({ tracerProvider: providers.gateway, propagateTo, orders: a.url }),
    )

    // The demo's own client is "the internet": plain fetch, forged context.
    const response = await fetch(`${gateway.url}/checkout`, {
      headers: { 'x-user-id': userId, traceparent: FORGED.traceparent, baggage: FORGED.baggage },
    })
    await response.arrayBuffer()
    await tracker.idle(timeoutMs)

    const spans = collector
      .getFinishedSpans()
      .map(toDemoSpan)
      .sort((x, y) => Number(BigInt(x.startTimeUnixNano) - BigInt(y.startTimeUnixNano)))
    const root = spans.find((s) => s.service === 'gateway' && s.kind === 'SERVER')
    return {
      traceId: root?.traceId ?? '',
      spans,
      status: response.status,
      thirdPartyReceived: thirdParty.received.map((names) => [...names]),
    }
  } finally {
    for (const service of running) await service.close()
    // Flushes the OTLP exporters, if any, before the process may exit.
    await Promise.all(Object.values(providers).map((p) => p.shutdown()))
    context.disable()
    propagation.disable()
  }
}
