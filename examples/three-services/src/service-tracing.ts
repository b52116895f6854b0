import { BaggageSpanProcessor } from '@opentelemetry/baggage-span-processor'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import type { ExportTally } from './export-tally'
import type { SpanTracker } from './span-tracker'

/**
 * The one Baggage key copied onto spans. An allowlist, not "every key": whatever else a caller
 * manages to put into Baggage never becomes a span attribute.
 */
export const isUserIdKey = (key: string): boolean => key === 'user_id'

export interface ServiceTracingOptions {
  /** The exporter every service shares: the demo's in-memory collector. */
  collector: SpanExporter
  /** Counts open spans, so the demo knows when the trace is complete. */
  tracker: SpanTracker
  /** When given, also export over OTLP/HTTP (JSON) to `OTEL_EXPORTER_OTLP_ENDPOINT`, counted here. */
  otlp?: ExportTally
}

/**
 * One TracerProvider per service, as if each ran in its own process: its own `service.name`,
 * `user_id` copied from Baggage onto every span it starts, spans sent to the shared collector and,
 * when asked, to an OTLP endpoint (the exporter reads `OTEL_EXPORTER_OTLP_*` itself).
 *
 * @example
 * const provider = createServiceProvider('service-a', { collector, tracker })
 * app.use(expressTracing({ tracerProvider: provider }))
 */
export function createServiceProvider(
  serviceName: string,
  { collector, tracker, otlp }: ServiceTracingOptions,
): BasicTracerProvider {
  const spanProcessors: SpanProcessor[] = [
    new BaggageSpanProcessor(isUserIdKey),
    tracker,
    new SimpleSpanProcessor(collector),
  ]
  if (otlp) spanProcessors.push(new BatchSpanProcessor(otlp.wrap(new OTLPTraceExporter())))
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors,
  })
}
