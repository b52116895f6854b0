import { randomBytes } from 'node:crypto'
import {
  type BaggageEntry,
  context,
  createTraceState,
  propagation,
  type Span,
  type Tracer,
  trace,
} from '@opentelemetry/api'

/** The tracestate every parent's remote trace carries. */
export const TRACESTATE = 'vendor=abc'

/**
 * Runs `fn` as a traced service would: under a `parent` span continuing a fresh remote trace
 * (so concurrent parents never share one) that carries `TRACESTATE`, with `baggage` in the
 * context (values or entries with metadata; by default one ordinary key and one secret-looking key). The parent ends after `fn`
 * settles.
 */
export async function underParent<T>(
  tracer: Tracer,
  fn: (parent: Span) => T | Promise<T>,
  baggage: Record<string, string | BaggageEntry> = { user_id: 'alice', session_id: 's3cr3t' },
): Promise<{ parent: Span; result: T }> {
  const remote = trace.setSpanContext(context.active(), {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    traceFlags: 1,
    isRemote: true,
    traceState: createTraceState(TRACESTATE),
  })
  const parent = tracer.startSpan('parent', {}, remote)
  const entries = Object.entries(baggage).map(([key, entry]) => [
    key,
    typeof entry === 'string' ? { value: entry } : entry,
  ])
  const ctx = propagation.setBaggage(
    trace.setSpan(remote, parent),
    propagation.createBaggage(Object.fromEntries(entries)),
  )
  try {
    return { parent, result: await context.with(ctx, () => fn(parent)) }
  } finally {
    parent.end()
  }
}
