import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api'
import { type TraceContextPropagatorOptions, traceContextPropagator } from './trace-context-propagator'
import { w3cBaggagePropagator } from './w3c-baggage-propagator'

/**
 * Options of `w3cPropagator()`: those of its trace-context half.
 *
 * @example
 * const options: W3CPropagatorOptions = { randomTraceIds: false } // an IdGenerator that is not random
 * propagation.setGlobalPropagator(w3cPropagator(options))
 */
export type W3CPropagatorOptions = TraceContextPropagatorOptions

/**
 * W3C Trace Context (`traceContextPropagator()`) and W3C Baggage (`w3cBaggagePropagator()`) in one
 * propagator: the recommended global propagator for otel-http, replacing @opentelemetry/core's
 * `CompositePropagator` of `W3CTraceContextPropagator` and `W3CBaggagePropagator`.
 *
 * @example
 * ```ts
 * import { propagation } from '@opentelemetry/api'
 * import { w3cPropagator } from '@otel-http/core'
 *
 * propagation.setGlobalPropagator(w3cPropagator())
 * // or with the Node SDK: new NodeSDK({ textMapPropagator: w3cPropagator(), … })
 * ```
 */
export function w3cPropagator(options: W3CPropagatorOptions = {}): TextMapPropagator {
  const traceContext = traceContextPropagator(options)
  const baggage = w3cBaggagePropagator()
  return {
    inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
      traceContext.inject(context, carrier, setter)
      baggage.inject(context, carrier, setter)
    },
    extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
      return baggage.extract(traceContext.extract(context, carrier, getter), carrier, getter)
    },
    fields: () => ['traceparent', 'tracestate', 'baggage'],
  }
}
