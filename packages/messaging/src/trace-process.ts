import type { TextMapGetter } from '@opentelemetry/api'
import { context } from '@opentelemetry/api'
import {
  createMessagingInstrumentation,
  type MessageOperation,
  type MessagingOptions,
  type RequestHandle,
} from '@otel-http/core'
import { SCOPE } from './messaging-scope'

/** Where a consumed message keeps its trace context, and how to read it. */
export interface MessageCarrier<C> {
  /** `message.MessageAttributes`, `message.headers`, `msg.properties`… */
  carrier: C
  /** The matching getter: `sqsAttributesGetter`, `kafkaHeadersGetter`, `amqpPropertiesGetter`… */
  getter: TextMapGetter<C>
}

async function runIn<T>(span: RequestHandle, handler: (span: RequestHandle) => T | Promise<T>): Promise<T> {
  let result: T
  try {
    result = await context.with(span.context, () => handler(span))
  } catch (error) {
    span.end({ error })
    throw error
  }
  span.end()
  return result
}

/**
 * Runs `handler` for one consumed message inside a CONSUMER span (`process <destination>`)
 * whose parent is the producer's span carried by the message, so the trace continues through
 * the queue; the message's baggage is active too. A message without trace context gets the
 * active span (if any) as its parent. The handler's result or error passes through unchanged.
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
  handler: (span: RequestHandle) => T | Promise<T>,
  options: MessagingOptions = {},
): Promise<T> {
  const messaging = createMessagingInstrumentation(options, SCOPE)
  return runIn(messaging.startProcess(operation, messaging.extract(message.carrier, message.getter)), handler)
}

/**
 * Runs `handler` for a batch of consumed messages inside one CONSUMER span, a child of the
 * active context with one link per message that carries trace context (a batch has many
 * parents, which a span cannot have).
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
  handler: (span: RequestHandle) => T | Promise<T>,
  options: MessagingOptions = {},
): Promise<T> {
  const messaging = createMessagingInstrumentation(options, SCOPE)
  const contexts = messages.map((m) => messaging.extract(m.carrier, m.getter))
  return runIn(messaging.startBatch(operation, contexts), handler)
}
