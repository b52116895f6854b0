import type { MessageOperation } from '@otel-http/core'
import { tracingFor } from './default-tracing'
import type { MessageCarrier, MessageSpan, MessagingTracingOptions } from './messaging-tracing'

/**
 * Runs `handler` for one consumed message inside a CONSUMER span (`process <destination>`)
 * whose parent is the producer's span carried by the message, so the trace continues through
 * the queue; the message's baggage is active too. A message without trace context gets the
 * active span (if any) as its parent. The handler's result or error passes through unchanged.
 * With options, each call compiles them: prefer `messagingTracing(options).process`.
 *
 * @example
 * await traceProcess(
 *   { system: 'rabbitmq', destination: 'jobs' },
 *   { carrier: msg.properties, getter: amqpPropertiesGetter },
 *   () => handle(msg),
 * )
 */
export function traceProcess<C, T>(
  operation: MessageOperation,
  message: MessageCarrier<C>,
  handler: (span: MessageSpan) => T | Promise<T>,
  options: MessagingTracingOptions = {},
): Promise<T> {
  return tracingFor(options).process(operation, message, handler)
}

/**
 * Runs `handler` for a batch of consumed messages inside one CONSUMER span, a child of the
 * active context with one link per message that carries trace context (a batch has many
 * parents, which a span cannot have). With options, each call compiles them: prefer
 * `messagingTracing(options).batch`.
 *
 * @example
 * await traceBatch(
 *   { system: 'kafka', destination: 'orders' },
 *   batch.messages.map((m) => ({ carrier: m.headers, getter: kafkaHeadersGetter })),
 *   () => handleAll(batch.messages),
 * )
 */
export function traceBatch<C, T>(
  operation: MessageOperation,
  messages: ReadonlyArray<MessageCarrier<C>>,
  handler: (span: MessageSpan) => T | Promise<T>,
  options: MessagingTracingOptions = {},
): Promise<T> {
  return tracingFor(options).batch(operation, messages, handler)
}
