import { PublishCommand, SNSClient } from '@aws-sdk/client-sns'
import {
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs'
import {
  context,
  type DiagLogger,
  DiagLogLevel,
  diag,
  propagation,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api'
import { TraceState } from '@opentelemetry/core'
import {
  injectSnsAttributes,
  injectSqsAttributes,
  snsAttributesGetter,
  sqsAttributesGetter,
  sqsAttributesSetter,
  traceBatch,
  traceProcess,
  traceSend,
} from '@otel-http/messaging'
import { http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parentIdOf, parseTraceparent, setupTracing } from '../../../test/support/tracing'
import { CREDENTIALS, fakeAws, publishedAttributes, REGION, SNS_ENDPOINT, SQS_ENDPOINT } from './sqs-endpoint'

const QUEUE_URL = `${SQS_ENDPOINT}/123456789012/jobs`
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:orders'
const aws = fakeAws()
const server = setupServer(...aws.handlers)
const sqs = new SQSClient({ region: REGION, endpoint: SQS_ENDPOINT, credentials: CREDENTIALS })
const sns = new SNSClient({ region: REGION, endpoint: SNS_ENDPOINT, credentials: CREDENTIALS })
const jobs = { system: 'aws_sqs', destination: 'jobs' }

let tracing: ReturnType<typeof setupTracing>
const warnings: string[] = []
beforeAll(() => {
  tracing = setupTracing()
  server.listen({ onUnhandledRequest: 'error' })
  const logger: DiagLogger = {
    error: () => {},
    warn: (message) => warnings.push(message),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  }
  diag.setLogger(logger, DiagLogLevel.WARN)
})
beforeEach(() => {
  tracing.reset()
  aws.reset()
  warnings.length = 0
})
afterEach(() => server.resetHandlers())
afterAll(() => {
  server.close()
  diag.disable()
})

const sendJob = (body: string, attributes?: Record<string, MessageAttributeValue>) =>
  traceSend(
    { ...jobs, operationName: 'SendMessage' },
    (send) =>
      sqs.send(
        new SendMessageCommand({
          QueueUrl: QUEUE_URL,
          MessageBody: body,
          MessageAttributes: injectSqsAttributes(send, attributes),
        }),
      ),
    { messageId: (result) => result.MessageId },
  )

const receive = async (): Promise<Message[]> =>
  (
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: QUEUE_URL,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    )
  ).Messages ?? []

describe('SQS with the real AWS SDK', () => {
  it('puts a valid traceparent of the PRODUCER span on the wire, without touching the caller attributes', async () => {
    const mine = { kind: { DataType: 'String', StringValue: 'report' } }
    const result = await sendJob('hello', mine)

    expect(mine).toEqual({ kind: { DataType: 'String', StringValue: 'report' } })
    const [call] = aws.wire
    expect(call!.target).toBe('AmazonSQS.SendMessage')
    const attributes = call!.body.MessageAttributes as Record<string, MessageAttributeValue>
    expect(attributes.kind).toEqual({ DataType: 'String', StringValue: 'report' })
    expect(attributes.traceparent!.DataType).toBe('String')
    const tp = parseTraceparent(attributes.traceparent!.StringValue)

    const [producer] = tracing.spans()
    expect(producer!.kind).toBe(SpanKind.PRODUCER)
    expect(producer!.name).toBe('SendMessage jobs')
    expect(tp).toEqual({
      traceId: producer!.spanContext().traceId,
      parentId: producer!.spanContext().spanId,
      flags: '01',
    })
    expect(producer!.attributes).toMatchObject({
      'messaging.system': 'aws_sqs',
      'messaging.destination.name': 'jobs',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'SendMessage',
      'messaging.message.id': result.MessageId,
    })
  })

  it('makes the producer span the parent of the consumer span after ReceiveMessage', async () => {
    await sendJob('hello')
    const [message] = await receive()
    expect(message!.MessageAttributes?.traceparent).toBeDefined()

    const handled = await traceProcess(
      { ...jobs, messageId: message!.MessageId },
      { carrier: message!.MessageAttributes, getter: sqsAttributesGetter },
      () => {
        // Work the handler does is a child of the process span.
        tracing.tracer.startSpan('handle job').end()
        return 'done'
      },
    )

    const producer = tracing.spans().find((s) => s.kind === SpanKind.PRODUCER)!
    const consumer = tracing.spans().find((s) => s.kind === SpanKind.CONSUMER)!
    expect(consumer.name).toBe('process jobs')
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId)
    expect(parentIdOf(consumer)).toBe(producer.spanContext().spanId)
    expect(consumer.attributes['messaging.message.id']).toBe(message!.MessageId)
    const child = tracing.spans().find((s) => s.name === 'handle job')!
    expect(handled).toBe('done')
    expect(child.spanContext().traceId).toBe(producer.spanContext().traceId)
    expect(parentIdOf(child)).toBe(consumer.spanContext().spanId)
  })

  it('injects one send context into every SendMessageBatch entry and links each in the batch span', async () => {
    const entries = [
      { Id: 'a', MessageBody: 'one' },
      { Id: 'b', MessageBody: 'two' },
    ]
    await traceSend({ ...jobs, operationName: 'SendMessageBatch', batchSize: entries.length }, (send) =>
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: QUEUE_URL,
          Entries: entries.map((entry) => ({ ...entry, MessageAttributes: injectSqsAttributes(send) })),
        }),
      ),
    )
    await sendJob('three')
    const [batchSend, single] = tracing.spans()
    expect(batchSend!.attributes['messaging.batch.message_count']).toBe(2)
    const sentBodies = aws.wire[0]!.body.Entries as {
      MessageAttributes: Record<string, MessageAttributeValue>
    }[]
    for (const entry of sentBodies) {
      expect(parseTraceparent(entry.MessageAttributes.traceparent!.StringValue).parentId).toBe(
        batchSend!.spanContext().spanId,
      )
    }

    const messages = await receive()
    expect(messages).toHaveLength(3)
    await traceBatch(
      jobs,
      messages.map((m) => ({ carrier: m.MessageAttributes, getter: sqsAttributesGetter })),
      () => {},
    )
    const batch = tracing.spans().find((s) => s.kind === SpanKind.CONSUMER)!
    expect(batch.parentSpanContext).toBeUndefined()
    expect(batch.attributes['messaging.batch.message_count']).toBe(3)
    expect(batch.links.map((l) => l.context.spanId)).toEqual([
      batchSend!.spanContext().spanId,
      batchSend!.spanContext().spanId,
      single!.spanContext().spanId,
    ])
  })

  it('records a failed send on the span and rethrows the SDK error', async () => {
    server.use(
      // SQS's JSON error shape for a missing queue.
      http.post(`${SQS_ENDPOINT}/`, () =>
        Response.json(
          { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' },
          { status: 400, headers: { 'content-type': 'application/x-amz-json-1.0' } },
        ),
      ),
    )
    await expect(sendJob('lost')).rejects.toThrow('does not exist')
    const [producer] = tracing.spans()
    expect(producer!.status.code).toBe(SpanStatusCode.ERROR)
    expect(producer!.attributes['error.type']).toBe('QueueDoesNotExist')
  })
})

describe("SQS's 10-attribute limit", () => {
  const own = (n: number) =>
    Object.fromEntries(
      Array.from({ length: n }, (_, i) => [`attr${i}`, { DataType: 'String', StringValue: String(i) }]),
    ) as Record<string, MessageAttributeValue>

  // A remote parent with vendor tracestate and baggage, so all three W3C fields want a slot.
  const withFullContext = <T>(fn: () => Promise<T>) => {
    const parent = trace.setSpanContext(context.active(), {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
      traceState: new TraceState('vendor=1'),
      isRemote: true,
    })
    const bag = propagation.createBaggage({ tenant: { value: 'acme' } })
    return context.with(propagation.setBaggage(parent, bag), fn)
  }

  it('keeps traceparent and tracestate, drops baggage and says so when 8 slots are taken', async () => {
    await withFullContext(() => sendJob('tight', own(8)))
    const sent = aws.wire[0]!.body.MessageAttributes as Record<string, MessageAttributeValue>
    expect(Object.keys(sent)).toHaveLength(10)
    parseTraceparent(sent.traceparent!.StringValue)
    expect(sent.tracestate!.StringValue).toBe('vendor=1')
    expect(sent.baggage).toBeUndefined()
    expect(warnings).toEqual([
      expect.stringMatching(/SQS allows 10 message attributes.*has 8; not sent: baggage$/),
    ])
  })

  it('never fails the send when the message is full, and warns that the trace breaks', async () => {
    const result = await withFullContext(() => sendJob('full', own(10)))
    expect(result.MessageId).toBeDefined()
    const sent = aws.wire[0]!.body.MessageAttributes as Record<string, MessageAttributeValue>
    expect(Object.keys(sent).sort()).toEqual(Object.keys(own(10)).sort())
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(
      'not sent: traceparent, tracestate, baggage (the consumer will start a new trace)',
    )
  })

  it('replaces a stale traceparent in place instead of counting it as an 11th attribute', async () => {
    const attributes = own(9)
    attributes.traceparent = {
      DataType: 'String',
      StringValue: '00-11111111111111111111111111111111-2222222222222222-01',
    }
    await sendJob('resent', attributes)
    const sent = aws.wire[0]!.body.MessageAttributes as Record<string, MessageAttributeValue>
    expect(Object.keys(sent)).toHaveLength(10)
    expect(parseTraceparent(sent.traceparent!.StringValue).parentId).toBe(
      tracing.spans()[0]!.spanContext().spanId,
    )
    expect(warnings).toEqual([])
  })
})

describe('SNS with the real AWS SDK', () => {
  it('puts the traceparent on the wire as a String message attribute of Publish', async () => {
    const result = await traceSend(
      { system: 'aws.sns', destination: 'orders', operationName: 'Publish' },
      (send) =>
        sns.send(
          new PublishCommand({
            TopicArn: TOPIC_ARN,
            Message: '{}',
            MessageAttributes: injectSnsAttributes(send),
          }),
        ),
      { messageId: (r) => r.MessageId },
    )
    const attributes = publishedAttributes(aws.published[0]!)
    expect(attributes.traceparent!.DataType).toBe('String')
    const [producer] = tracing.spans()
    expect(parseTraceparent(attributes.traceparent!.StringValue).parentId).toBe(
      producer!.spanContext().spanId,
    )
    expect(producer!.attributes['messaging.message.id']).toBe(result.MessageId)
  })

  it('reads the attributes of an SNS envelope delivered to SQS without raw delivery', async () => {
    await traceSend({ system: 'aws.sns', destination: 'orders' }, (send) =>
      sns.send(
        new PublishCommand({
          TopicArn: TOPIC_ARN,
          Message: '{}',
          MessageAttributes: injectSnsAttributes(send),
        }),
      ),
    )
    const { traceparent } = publishedAttributes(aws.published[0]!)
    // The JSON body SNS writes into the queue: attributes as { Type, Value }.
    const envelope = JSON.parse(
      JSON.stringify({
        Type: 'Notification',
        MessageAttributes: { traceparent: { Type: 'String', Value: traceparent!.StringValue } },
      }),
    )
    await traceProcess(
      { system: 'aws.sns', destination: 'orders' },
      { carrier: envelope.MessageAttributes, getter: snsAttributesGetter },
      () => {},
    )
    const [producer, consumer] = tracing.spans()
    expect(parentIdOf(consumer!)).toBe(producer!.spanContext().spanId)
  })
})

describe('sqsAttributesSetter', () => {
  it('writes a String attribute and removes case variants of its name', () => {
    const TP = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
    const attributes: Record<string, MessageAttributeValue> = {
      Traceparent: { DataType: 'String', StringValue: 'stale' },
      kind: { DataType: 'String', StringValue: 'report' },
    }
    sqsAttributesSetter.set(attributes, 'traceparent', TP)
    expect(attributes).toEqual({
      kind: { DataType: 'String', StringValue: 'report' },
      traceparent: { DataType: 'String', StringValue: TP },
    })
  })
})
