import { context, propagation } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core'

/**
 * What every process of the demo registers globally: AsyncLocalStorage for the active context and
 * the W3C propagators (`traceparent`/`tracestate` and `baggage`). Tracer providers stay
 * per-service. Returns the function that unregisters both.
 */
export function installW3cGlobals(): () => void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  )
  return () => {
    context.disable()
    propagation.disable()
  }
}
