import {
  type Baggage,
  type Context,
  propagation,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api'

/**
 * Injects `ctx` with the outbound baggage policy applied: the context's Baggage is replaced
 * by what `filterBaggage` lets out (the same object when nothing is dropped, so nothing is
 * rebuilt per request).
 */
export function injectContext<C>(
  propagator: TextMapPropagator,
  filterBaggage: (baggage: Baggage) => Baggage,
  ctx: Context,
  carrier: C,
  setter: TextMapSetter<C>,
): void {
  let injected = ctx
  const baggage = propagation.getBaggage(ctx)
  if (baggage) {
    const sent = filterBaggage(baggage)
    if (sent !== baggage) injected = propagation.setBaggage(ctx, sent)
  }
  propagator.inject(injected, carrier, setter)
}
