import { type Context, propagation, type TextMapPropagator } from '@opentelemetry/api'
import { validatingSetter } from '../carriers/header-value'
import { compileOutboundBaggage, type OutboundBaggage } from '../policy/outbound-baggage'
import { reportThrown } from './guard'
import type { Injector } from './request-handle'

/**
 * Compiles how an adapter writes context into carriers: the propagator with the outbound
 * baggage policy applied (the context's Baggage is replaced by what the policy lets out, the
 * same object when nothing is dropped), all inside the guard.
 */
export function compileInjector(
  propagator: TextMapPropagator,
  baggage: OutboundBaggage | undefined,
): Injector {
  const filterBaggage = compileOutboundBaggage(baggage)
  const inject: Injector = (ctx, carrier, setter) => {
    let injected: Context = ctx
    const current = propagation.getBaggage(ctx)
    if (current) {
      const sent = filterBaggage(current)
      if (sent !== current) injected = propagation.setBaggage(ctx, sent)
    }
    propagator.inject(injected, carrier, validatingSetter(setter))
  }
  // Guarded inline (as `safely` would): no closure per injection.
  return (ctx, carrier, setter) => {
    try {
      inject(ctx, carrier, setter)
    } catch (error) {
      reportThrown('inject', error)
    }
  }
}
