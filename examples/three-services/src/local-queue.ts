import { createHash, randomUUID } from 'node:crypto'
import type { StringMessageAttribute } from '@otel-http/messaging'
import type { SQSEvent, SQSMessageAttributes } from 'aws-lambda'

/** What `SendMessage` takes, as the AWS SDK's `SendMessageCommand` input spells it. */
export interface SendMessageInput {
  MessageBody: string
  MessageAttributes?: Record<string, StringMessageAttribute>
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex')

/**
 * A stand-in for one SQS queue, so the demo needs no AWS account: it keeps messages exactly as
 * `SendMessage` received them and hands them over as the SQS event Lambda's event source mapping
 * would build (note Lambda's lower-case `stringValue` / `dataType`). Trace context crosses only
 * inside `MessageAttributes`.
 */
export class LocalQueue {
  private messages: Array<SendMessageInput & { MessageId: string; SentTimestamp: number }> = []

  constructor(
    readonly name: string,
    readonly region = 'us-east-1',
    readonly accountId = '123456789012',
  ) {}

  get arn(): string {
    return `arn:aws:sqs:${this.region}:${this.accountId}:${this.name}`
  }

  /** Accepts a message and answers like SQS: with the `MessageId` it assigned. */
  async sendMessage(input: SendMessageInput): Promise<{ MessageId: string }> {
    const MessageId = randomUUID()
    this.messages.push({ ...structuredClone(input), MessageId, SentTimestamp: Date.now() })
    return { MessageId }
  }

  /** Removes every waiting message and returns them as one Lambda SQS event, or undefined if none. */
  drainAsLambdaEvent(): SQSEvent | undefined {
    const batch = this.messages.splice(0)
    if (batch.length === 0) return undefined
    return {
      Records: batch.map((message) => {
        const messageAttributes: SQSMessageAttributes = {}
        for (const [key, value] of Object.entries(message.MessageAttributes ?? {})) {
          messageAttributes[key] = { stringValue: value.StringValue, dataType: value.DataType }
        }
        return {
          messageId: message.MessageId,
          receiptHandle: randomUUID(),
          body: message.MessageBody,
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: String(message.SentTimestamp),
            SenderId: 'AIDAEXAMPLE',
            ApproximateFirstReceiveTimestamp: String(Date.now()),
          },
          messageAttributes,
          md5OfBody: md5(message.MessageBody),
          eventSource: 'aws:sqs',
          eventSourceARN: this.arn,
          awsRegion: this.region,
        }
      }),
    }
  }
}
