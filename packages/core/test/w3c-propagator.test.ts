import { propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api'
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base'
import { type HeaderRecord, recordGetter, recordSetter, w3cPropagator } from '@otel-http/core'
import { describe, expect, it } from 'vitest'

const TID = '4bf92f3577b34da6a3ce929d0e0e4736'
const SID = '00f067aa0ba902b7'

describe('w3cPropagator', () => {
  const tracer = new BasicTracerProvider().getTracer('w3c-test')

  it('extracts and injects trace context and baggage together', () => {
    const propagator = w3cPropagator()
    const incoming = { traceparent: `00-${TID}-${SID}-03`, tracestate: 'congo=t61rcWkgMzE', baggage: 'a=1' }
    const remote = propagator.extract(ROOT_CONTEXT, incoming, recordGetter)
    const span = tracer.startSpan('server', {}, remote)
    const out: HeaderRecord = {}
    propagator.inject(trace.setSpan(remote, span), out, recordSetter)
    expect(out).toEqual({
      traceparent: `00-${TID}-${span.spanContext().spanId}-03`,
      tracestate: 'congo=t61rcWkgMzE',
      baggage: 'a=1',
    })
    expect(propagator.fields()).toEqual(['traceparent', 'tracestate', 'baggage'])
  })

  it('keeps baggage when the traceparent is invalid (the trace restarts, baggage is independent)', () => {
    const ctx = w3cPropagator().extract(
      ROOT_CONTEXT,
      { traceparent: 'garbage', baggage: 'a=1' },
      recordGetter,
    )
    expect(trace.getSpanContext(ctx)).toBeUndefined()
    expect(propagation.getBaggage(ctx)?.getEntry('a')?.value).toBe('1')
  })

  it('passes its options to the trace-context half', () => {
    const out: HeaderRecord = {}
    const span = tracer.startSpan('root')
    w3cPropagator({ randomTraceIds: false }).inject(trace.setSpan(ROOT_CONTEXT, span), out, recordSetter)
    expect(out.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`)
  })
})
