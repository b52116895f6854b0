import { trace } from '@opentelemetry/api'
import { type MessagingTracing, type MessagingTracingOptions, messagingTracing } from './messaging-tracing'

let shared: { provider: unknown; tracing: MessagingTracing } | undefined

/**
 * The instance behind the free functions. Without options every call shares one default
 * instance, bound to the global tracer provider it was made for (re-made if the application
 * registers another one); with options the call compiles its own, as it cannot tell two
 * option objects apart cheaply: `messagingTracing(options)` is the form that compiles once.
 */
export function tracingFor(options: MessagingTracingOptions): MessagingTracing {
  if (Object.keys(options).length > 0) return messagingTracing(options)
  const provider = trace.getTracerProvider()
  if (shared?.provider !== provider) shared = { provider, tracing: messagingTracing() }
  return shared.tracing
}
