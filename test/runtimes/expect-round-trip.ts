import { SpanKind } from '@opentelemetry/api'
import { expect } from 'vitest'

/** What round-trip.mjs prints and worker.mjs answers: the status, what the handler saw, the spans. */
export interface RoundTrip {
  status: number
  seen: { traceparent: string; userId: string | null; activeSpanId: string; afterAwaitSpanId: string }
  spans: Array<{ name: string; kind: SpanKind; traceId: string; spanId: string; parentSpanId: string | null }>
}

/** One trace: caller → CLIENT → SERVER, the context and baggage carried, the SERVER span active in the handler. */
export function expectRoundTrip({ status, seen, spans }: RoundTrip): void {
  expect(status).toBe(200)

  const caller = spans.find((s) => s.name === 'caller')!
  const client = spans.find((s) => s.kind === SpanKind.CLIENT)!
  const server = spans.find((s) => s.kind === SpanKind.SERVER)!
  expect(spans).toHaveLength(3)
  expect(new Set(spans.map((s) => s.traceId)).size).toBe(1)
  expect(client.parentSpanId).toBe(caller.spanId)
  expect(server.parentSpanId).toBe(client.spanId)

  // On the wire: the CLIENT span as parent, sampled, with the random-trace-id flag of a trace
  // this process started.
  expect(seen.traceparent).toBe(`00-${caller.traceId}-${client.spanId}-03`)
  expect(seen.userId).toBe('alice')
  expect(seen.activeSpanId).toBe(server.spanId)
  expect(seen.afterAwaitSpanId).toBe(server.spanId)
}
