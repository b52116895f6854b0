import { createHash } from 'node:crypto'
import { HttpResponse, http, type JsonBodyType } from 'msw'

/** The SQS and SNS endpoints the real AWS SDK clients talk to in these tests. */
export const REGION = 'us-east-1'
export const SQS_ENDPOINT = 'https://sqs.us-east-1.amazonaws.com'
export const SNS_ENDPOINT = 'https://sns.us-east-1.amazonaws.com'
export const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
}

type Attributes = Record<string, { DataType: string; StringValue?: string }>

interface StoredMessage {
  MessageId: string
  ReceiptHandle: string
  Body: string
  MD5OfBody: string
  MessageAttributes?: Attributes
}

/** The JSON 1.0 request bodies of the three operations, as far as the fake reads them. */
interface SqsRequest {
  QueueUrl: string
  MessageBody: string
  MessageAttributes?: Attributes
  Entries: { Id: string; MessageBody: string; MessageAttributes?: Attributes }[]
  MaxNumberOfMessages?: number
  MessageAttributeNames?: string[]
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex')
const json = (body: JsonBodyType) =>
  HttpResponse.json(body, { headers: { 'content-type': 'application/x-amz-json-1.0' } })

/**
 * An in-memory queue behind msw speaking SQS's AWS JSON 1.0 protocol (SendMessage,
 * SendMessageBatch, ReceiveMessage), plus SNS Publish (AWS query protocol). It records every
 * request body exactly as the SDK put it on the wire.
 */
export function fakeAws() {
  const queues = new Map<string, StoredMessage[]>()
  const wire: { target: string; body: SqsRequest }[] = []
  const published: URLSearchParams[] = []
  let ids = 0

  const store = (queueUrl: string, body: string, attributes: Attributes | undefined) => {
    const message: StoredMessage = {
      MessageId: `msg-${++ids}`,
      ReceiptHandle: `rh-${ids}`,
      Body: body,
      MD5OfBody: md5(body),
      ...(attributes ? { MessageAttributes: attributes } : {}),
    }
    const queue = queues.get(queueUrl) ?? []
    queue.push(message)
    queues.set(queueUrl, queue)
    return message
  }

  const handlers = [
    http.post(`${SQS_ENDPOINT}/`, async ({ request }) => {
      const target = request.headers.get('x-amz-target') ?? ''
      const body = (await request.json()) as SqsRequest
      wire.push({ target, body })
      switch (target) {
        case 'AmazonSQS.SendMessage': {
          const m = store(body.QueueUrl, body.MessageBody, body.MessageAttributes)
          return json({ MessageId: m.MessageId, MD5OfMessageBody: m.MD5OfBody })
        }
        case 'AmazonSQS.SendMessageBatch': {
          const Successful = body.Entries.map((entry) => {
            const m = store(body.QueueUrl, entry.MessageBody, entry.MessageAttributes)
            return { Id: entry.Id, MessageId: m.MessageId, MD5OfMessageBody: m.MD5OfBody }
          })
          return json({ Successful, Failed: [] })
        }
        case 'AmazonSQS.ReceiveMessage': {
          const queue = queues.get(body.QueueUrl) ?? []
          const taken = queue.splice(0, body.MaxNumberOfMessages ?? 1)
          // Like SQS: attributes are returned only when asked for.
          const all = (body.MessageAttributeNames ?? []).includes('All')
          return json({
            Messages: taken.map(({ MessageAttributes, ...m }) => (all ? { ...m, MessageAttributes } : m)),
          })
        }
        default:
          return json({ __type: 'com.amazonaws.sqs#UnsupportedOperation', message: target })
      }
    }),
    http.post(`${SNS_ENDPOINT}/`, async ({ request }) => {
      const form = new URLSearchParams(await request.text())
      published.push(form)
      return new HttpResponse(
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>sns-${published.length}</MessageId></PublishResult><ResponseMetadata><RequestId>req</RequestId></ResponseMetadata></PublishResponse>`,
        { headers: { 'content-type': 'text/xml' } },
      )
    }),
  ]

  return {
    handlers,
    wire,
    published,
    reset() {
      queues.clear()
      wire.length = 0
      published.length = 0
    },
  }
}

/** SNS's query protocol flattens attributes into `MessageAttributes.entry.N.*` form fields. */
export function publishedAttributes(
  form: URLSearchParams,
): Record<string, { DataType: string; StringValue: string }> {
  const result: Record<string, { DataType: string; StringValue: string }> = {}
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    result[form.get(`MessageAttributes.entry.${n}.Name`)!] = {
      DataType: form.get(`MessageAttributes.entry.${n}.Value.DataType`)!,
      StringValue: form.get(`MessageAttributes.entry.${n}.Value.StringValue`)!,
    }
  }
  return result
}
