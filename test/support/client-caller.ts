import { DiagLogLevel, diag, type Span, SpanKind } from '@opentelemetry/api'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { expect } from 'vitest'
import { parentIdOf, type setupTracing, traceparentOf } from './tracing'
import { TRACESTATE } from './under-parent'

export type Tracing = ReturnType<typeof setupTracing>

/** The W3C headers one request carried, each value as a separate entry (a repeat shows as two). */
export interface WireHeaders {
  traceparent: string[]
  tracestate: string[]
  baggage: string[]
}

/** The finished CLIENT spans whose parent is `caller`. */
export const clientSpansOf = (tracing: Tracing, caller: Span): ReadableSpan[] =>
  tracing.spans().filter((s) => s.kind === SpanKind.CLIENT && parentIdOf(s) === caller.spanContext().spanId)

/** Splits a header as a Fetch `Headers` reports it (repeats joined with ", ") back into values. */
export const headerValues = (value: string | null | undefined): string[] =>
  value == null ? [] : value.split(',').map((v) => v.trim())

/**
 * The request carried exactly one well-formed traceparent in the caller's trace, whose parent is
 * the one CLIENT span the call produced, plus the caller's tracestate and baggage.
 */
export function expectPropagated(wire: WireHeaders, tracing: Tracing, caller: Span): ReadableSpan {
  const clients = clientSpansOf(tracing, caller)
  expect(clients).toHaveLength(1)
  const client = clients[0]!
  expect(wire.traceparent).toHaveLength(1)
  const sent = traceparentOf(wire.traceparent[0])
  expect(sent.traceId).toBe(caller.spanContext().traceId)
  expect(client.spanContext().traceId).toBe(caller.spanContext().traceId)
  expect(sent.parentId).toBe(client.spanContext().spanId)
  expect(sent.flags).toBe('01')
  expect(wire.tracestate).toEqual([TRACESTATE])
  expect(wire.baggage).toEqual(['user_id=alice'])
  return client
}

/**
 * Records what reaches `diag` at WARN and above. The SDK warns when an ended span is ended
 * again, so `endedTwice()` is how a test sees a span ended more than once.
 */
export function captureDiag() {
  const messages: string[] = []
  const log = (message: string) => {
    messages.push(message)
  }
  diag.setLogger(
    { error: log, warn: log, info: () => {}, debug: () => {}, verbose: () => {} },
    DiagLogLevel.WARN,
  )
  return {
    messages,
    endedTwice: () => messages.filter((m) => /ended Span|end\(\) on a span once/i.test(m)),
  }
}
