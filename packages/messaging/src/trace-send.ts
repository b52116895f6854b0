import type { MessageOperation } from '@otel-http/core'
import { tracingFor } from './default-tracing'
import type { MessageSend, MessagingTracingOptions } from './messaging-tracing'

/** Options of `traceSend`: the messaging options plus how to read the message id. */
export interface TraceSendOptions<T> extends MessagingTracingOptions {
  /** Reads the broker-assigned id from the send's result, e.g. `(r) => r.MessageId` for SQS/SNS. */
  messageId?: (result: T) => string | undefined
}

/**
 * Runs `send` inside a PRODUCER span (`send <destination>`, messaging semantic conventions) and
 * ends the span with its outcome. `send` receives the span's handle: pass it to an
 * `inject…` helper to put the trace context on a copy of the message. The result or the
 * error of `send` is returned or thrown unchanged; a tracing failure never stops the send.
 * With options other than `messageId`, each call compiles them: prefer `messagingTracing(options).send`.
 *
 * @example
 * const result = await traceSend(
 *   { system: 'aws_sqs', destination: 'jobs' },
 *   (send) => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageAttributes: injectSqsAttributes(send) })),
 *   { messageId: (r) => r.MessageId },
 * )
 */
export function traceSend<T>(
  operation: MessageOperation,
  send: (message: MessageSend) => T | Promise<T>,
  { messageId, ...options }: TraceSendOptions<T> = {},
): Promise<T> {
  return tracingFor(options).send(operation, send, { messageId })
}
