// What every runtime's round trip shares: the SDK (in-memory spans, AsyncLocalStorage context,
// w3cPropagator from the built @otel-http/core), the traced handler, and the spans as JSON.
import { context, propagation, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { w3cPropagator } from '../../packages/core/dist/index.js'
import { traceFetchHandler } from '../../packages/server/dist/index.js'

const exporter = new InMemorySpanExporter()
export const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
propagation.setGlobalPropagator(w3cPropagator())
trace.setGlobalTracerProvider(provider)
export const tracer = trace.getTracer('round-trip')

/** What the handler saw of the request's context. */
export const seen = {}

export const handler = traceFetchHandler(async (request) => {
  seen.traceparent = request.headers.get('traceparent')
  seen.userId = propagation.getBaggage(context.active())?.getEntry('user_id')?.value ?? null
  seen.activeSpanId = trace.getActiveSpan()?.spanContext().spanId ?? null
  // Something the handler awaits still runs in the request's context.
  await new Promise((resolve) => setTimeout(resolve, 5))
  seen.afterAwaitSpanId = trace.getActiveSpan()?.spanContext().spanId ?? null
  return new Response('ok')
})

/** The context of a caller span carrying baggage `user_id=alice`. */
export function callerContext() {
  const caller = tracer.startSpan('caller')
  const baggage = propagation.createBaggage({ user_id: { value: 'alice' } })
  return { span: caller, context: propagation.setBaggage(trace.setSpan(context.active(), caller), baggage) }
}

export const finishedSpans = () =>
  exporter.getFinishedSpans().map((span) => ({
    name: span.name,
    kind: span.kind,
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? null,
  }))
