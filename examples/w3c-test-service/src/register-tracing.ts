import { context, propagation, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { AlwaysOnSampler, BasicTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-base'
import { w3cPropagator } from '@otel-http/core'

/**
 * Registers what the harness exercises, globally: `w3cPropagator()` (W3C Trace Context Level 2 +
 * Baggage), the real SDK tracer provider sampling every trace, and an AsyncLocalStorage context
 * manager so the SERVER span stays active across the handler's awaits.
 */
export function registerTracing(spanProcessors: SpanProcessor[] = []): BasicTracerProvider {
  const provider = new BasicTracerProvider({ sampler: new AlwaysOnSampler(), spanProcessors })
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  propagation.setGlobalPropagator(w3cPropagator())
  trace.setGlobalTracerProvider(provider)
  return provider
}
