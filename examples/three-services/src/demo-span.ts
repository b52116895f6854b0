import { type Attributes, type HrTime, SpanKind } from '@opentelemetry/api'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'

/** A span as `pnpm demo --json` prints it. Times are decimal strings: nanoseconds overflow a JSON number. */
export interface DemoSpan {
  traceId: string
  spanId: string
  /** Null for a root span. */
  parentSpanId: string | null
  name: string
  kind: 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER'
  /** The `service.name` of the provider that recorded it. */
  service: string
  startTimeUnixNano: string
  endTimeUnixNano: string
  attributes: Attributes
  links: Array<{ traceId: string; spanId: string; attributes: Attributes }>
}

const nanos = ([seconds, nanoseconds]: HrTime): string =>
  (BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds)).toString()

/** Converts a finished SDK span to its JSON form. */
export function toDemoSpan(span: ReadableSpan): DemoSpan {
  return {
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? null,
    name: span.name,
    kind: SpanKind[span.kind] as DemoSpan['kind'],
    service: String(span.resource.attributes['service.name']),
    startTimeUnixNano: nanos(span.startTime),
    endTimeUnixNano: nanos(span.endTime),
    attributes: { ...span.attributes },
    links: span.links.map((link) => ({
      traceId: link.context.traceId,
      spanId: link.context.spanId,
      attributes: { ...link.attributes },
    })),
  }
}
