import { context, type TextMapGetter } from '@opentelemetry/api'
import {
  createMessagingInstrumentation,
  type MessageOperation,
  type MessagingOptions,
  type OutboundHandle,
  type RequestHandle,
  type RequestOutcome,
  safely,
} from '@otel-http/core'
import { SCOPE } from './scope'

/** Options of `messagingTracing`, compiled once: tracer, propagator, spans, baggage policy. */
export type MessagingTracingOptions = MessagingOptions

/** A traced send: the handle `send` passes to its callback; `inject` writes its context into a message. */
export type MessageSend = OutboundHandle

/** A traced receive or process operation: the handle `process` and `batch` pass to the handler. */
export type MessageSpan = RequestHandle

/** Where a consumed message keeps its trace context, and how to read it. */
export interface MessageCarrier<C> {
  /** `message.MessageAttributes`, `message.headers`, `msg.properties`… */
  carrier: C
  /** The matching getter: `sqsAttributesGetter`, `kafkaHeadersGetter`, `amqpPropertiesGetter`… */
  getter: TextMapGetter<C>
}

/** The compiled form of `traceSend`, `traceProcess` and `traceBatch`: same calls, options bound. */
export interface MessagingTracing {
  /** `traceSend` with this instance's options; `messageId` reads the id from the result. */
  send<T>(
    operation: MessageOperation,
    send: (message: MessageSend) => T | Promise<T>,
    options?: { messageId?: (result: T) => string | undefined },
  ): Promise<T>
  /** `traceProcess` with this instance's options. */
  process<C, T>(
    operation: MessageOperation,
    message: MessageCarrier<C>,
    handler: (span: MessageSpan) => T | Promise<T>,
  ): Promise<T>
  /** `traceBatch` with this instance's options. */
  batch<C, T>(
    operation: MessageOperation,
    messages: ReadonlyArray<MessageCarrier<C>>,
    handler: (span: MessageSpan) => T | Promise<T>,
  ): Promise<T>
}

// Runs `fn` with the span's context active and ends the span with its outcome; the result or
// the error passes through unchanged.
async function runIn<S extends MessageSpan, T>(
  span: S,
  fn: (span: S) => T | Promise<T>,
  outcomeOf: (result: T) => RequestOutcome,
): Promise<T> {
  let result: T
  try {
    result = await context.with(span.context, () => fn(span))
  } catch (error) {
    span.end({ error })
    throw error
  }
  span.end(outcomeOf(result))
  return result
}

const noOutcome = (): RequestOutcome => ({})

/**
 * Compiles messaging options once (tracer lookup, propagator, outbound baggage policy and its
 * per-Baggage cache) and returns `send`, `process` and `batch`, which behave as `traceSend`,
 * `traceProcess` and `traceBatch`. Create it once per producer or consumer: this is the
 * efficient form when you pass options.
 *
 * @example
 * const tracing = messagingTracing({ baggage: ['tenant'] })
 * const jobs = { system: 'aws_sqs', destination: 'jobs' }
 *
 * await tracing.send(jobs, (send) =>
 *   sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageAttributes: injectSqsAttributes(send) })),
 * )
 * await tracing.process(jobs, { carrier: message.MessageAttributes, getter: sqsAttributesGetter }, () =>
 *   handle(message),
 * )
 */
export function messagingTracing(options: MessagingTracingOptions = {}): MessagingTracing {
  const messaging = createMessagingInstrumentation(options, SCOPE)
  return {
    send: (operation, send, { messageId } = {}) =>
      runIn(messaging.startSend(operation), send, (result) => ({
        messageId: messageId && safely('messageId', () => messageId(result), undefined),
      })),
    process: (operation, message, handler) =>
      runIn(
        messaging.startProcess(operation, messaging.extract(message.carrier, message.getter)),
        handler,
        noOutcome,
      ),
    batch: (operation, messages, handler) =>
      runIn(
        messaging.startBatch(
          operation,
          messages.map((m) => messaging.extract(m.carrier, m.getter)),
        ),
        handler,
        noOutcome,
      ),
  }
}
