import { randomBytes } from 'node:crypto'
import {
  type Context,
  context,
  DiagLogLevel,
  diag,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  trace,
} from '@opentelemetry/api'
import { TraceState } from '@opentelemetry/core'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { expect } from 'vitest'
import { parentIdOf, parseTraceparent, type setupTracing } from './tracing'

export type Tracing = ReturnType<typeof setupTracing>

/** The W3C headers one request carried, each value as a separate entry (a repeat shows as two). */
export interface WireHeaders {
  traceparent: string[]
  tracestate: string[]
  baggage: string[]
}

export const TRACESTATE = 'vendor=abc'

const randomHex = (length: number): string => randomBytes(length / 2).toString('hex')

/**
 * Runs `fn` as a traced service would: inside a `caller` span continuing a remote trace that
 * carries a tracestate, with `user.id=alice` (plus `extraBaggage`) in the baggage.
 */
export async function asCaller<T>(
  tracing: Tracing,
  fn: () => Promise<T>,
  extraBaggage: Record<string, string> = {},
): Promise<{ result: T; caller: Span }> {
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: randomHex(32),
    spanId: randomHex(16),
    traceFlags: 1,
    traceState: new TraceState(TRACESTATE),
    isRemote: true,
  })
  const entries = Object.entries({ 'user.id': 'alice', ...extraBaggage }).map(([k, v]) => [k, { value: v }])
  const withBaggage: Context = propagation.setBaggage(
    remote,
    propagation.createBaggage(Object.fromEntries(entries)),
  )
  const caller = tracing.tracer.startSpan('caller', {}, withBaggage)
  try {
    const result = await context.with(trace.setSpan(withBaggage, caller), fn)
    return { result, caller }
  } finally {
    caller.end()
  }
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
  const sent = parseTraceparent(wire.traceparent[0])
  expect(sent.traceId).toBe(caller.spanContext().traceId)
  expect(client.spanContext().traceId).toBe(caller.spanContext().traceId)
  expect(sent.parentId).toBe(client.spanContext().spanId)
  expect(sent.flags).toBe('01')
  expect(wire.tracestate).toEqual([TRACESTATE])
  expect(wire.baggage).toEqual(['user.id=alice'])
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
