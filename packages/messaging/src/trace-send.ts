import { context } from '@opentelemetry/api'
import {
  createMessagingInstrumentation,
  type MessageOperation,
  type MessagingOptions,
  type OutboundHandle,
  safely,
} from '@otel-http/core'
import { SCOPE } from './messaging-scope'

export interface TraceSendOptions<T> extends MessagingOptions {
  /** Reads the broker-assigned id from the send's result, e.g. `(r) => r.MessageId` for SQS/SNS. */
  messageId?: (result: T) => string | undefined
}

/**
 * Runs `send` inside a PRODUCER span (`send <destination>`, messaging semantic conventions) and
 * ends the span with its outcome. `send` receives the span's handle: pass it to an
 * `inject…` helper to put the trace context on a copy of the message. The result or the
 * error of `send` is returned or thrown unchanged; a tracing failure never stops the send.
 *
 * @example
 * const result = await traceSend(
 *   { system: 'aws_sqs', destination: 'jobs' },
 *   (send) => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageAttributes: injectSqsAttributes(send) })),
 *   { messageId: (r) => r.MessageId },
 * )
 */
export async function traceSend<T>(
  operation: MessageOperation,
  send: (message: OutboundHandle) => T | Promise<T>,
  { messageId, ...options }: TraceSendOptions<T> = {},
): Promise<T> {
  const message = createMessagingInstrumentation(options, SCOPE).startSend(operation)
  let result: T
  try {
    result = await context.with(message.context, () => send(message))
  } catch (error) {
    message.end({ error })
    throw error
  }
  message.end({ messageId: messageId && safely('messageId', () => messageId(result), undefined) })
  return result
}
