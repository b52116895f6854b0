import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { recordContext, traceLambdaHandler } from '@otel-http/lambda'
import type { SQSBatchResponse } from 'aws-lambda'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parentIdOf, parseTraceparent, setupTracing } from '../../../test/support/tracing'
import { lambdaContext, loadEvent } from './lambda-fixtures'

const tracing = setupTracing()
const ENV_XRAY = 'Root=1-65f1c2a3-0123456789abcdef01234567;Parent=0a1b2c3d4e5f6a7b;Sampled=1'

beforeEach(() => {
  tracing.reset()
  delete process.env._X_AMZN_TRACE_ID
})
afterEach(() => {
  delete process.env._X_AMZN_TRACE_ID
})

const byName = (kind: SpanKind) => tracing.spans().filter((s) => s.kind === kind)

describe('SQS events', () => {
  it('batch of 2 with different parents: one invocation span linked to both, a process span under each', async () => {
    const event = loadEvent('sqs')
    const inHandler: { traceId?: string; spanId?: string; baggage?: string }[] = []
    let invocationSpanId: string | undefined
    const handler = traceLambdaHandler(async (e: typeof event) => {
      invocationSpanId = trace.getActiveSpan()?.spanContext().spanId
      for (const record of e.Records) {
        context.with(recordContext(record), () => {
          const active = trace.getActiveSpan()?.spanContext()
          inHandler.push({
            traceId: active?.traceId,
            spanId: active?.spanId,
            baggage: propagation.getActiveBaggage()?.getEntry('tenant')?.value,
          })
        })
      }
    })
    await handler(event, lambdaContext())

    const producers = event.Records.map((r) => parseTraceparent(r.messageAttributes.traceparent?.stringValue))
    expect(producers[0]!.traceId).not.toBe(producers[1]!.traceId)
    const spans = byName(SpanKind.CONSUMER)
    expect(spans).toHaveLength(3)
    const invocation = spans.find((s) => s.spanContext().spanId === invocationSpanId)!
    expect(invocation).toBeDefined()
    expect(invocation.name).toBe('process jobs')
    expect(parentIdOf(invocation)).toBeUndefined()
    expect(invocation.links.map((l) => l.context.spanId)).toEqual(producers.map((p) => p.parentId))
    expect(invocation.attributes).toMatchObject({
      'messaging.system': 'aws_sqs',
      'messaging.destination.name': 'jobs',
      'messaging.operation.type': 'process',
      'messaging.batch.message_count': 2,
      'faas.trigger': 'pubsub',
      'faas.invocation.id': 'b8f0c6e2-5d4a-4f7e-9a3b-2c1d0e9f8a7b',
      'faas.name': 'orders-api',
    })

    event.Records.forEach((record, i) => {
      const process = spans.find((s) => s.attributes['messaging.message.id'] === record.messageId)!
      expect(process.spanContext().traceId).toBe(producers[i]!.traceId)
      expect(parentIdOf(process)).toBe(producers[i]!.parentId)
      // Each process span points back at the invocation that handled it.
      expect(process.links.map((l) => l.context.spanId)).toEqual([invocationSpanId])
      expect(inHandler[i]).toMatchObject({
        traceId: producers[i]!.traceId,
        spanId: process.spanContext().spanId,
      })
    })
    // The first record carries baggage, the second none: each record's context has its own.
    expect(inHandler.map((s) => s.baggage)).toEqual(['acme', undefined])
  })

  it('an X-Ray AWSTraceHeader alone is the record parent; beside a traceparent it is a link', async () => {
    const event = loadEvent('sqs-xray')
    await traceLambdaHandler(async () => {})(event, lambdaContext())
    const processes = tracing.spans().filter((s) => s.attributes['messaging.message.id'] !== undefined)
    const [xrayOnly, both] = event.Records.map(
      (r) => processes.find((s) => s.attributes['messaging.message.id'] === r.messageId)!,
    )

    expect(xrayOnly!.spanContext().traceId).toBe('5759e988bd862e3fe1be46a994272793')
    expect(parentIdOf(xrayOnly!)).toBe('53995c3f42cd8ad8')

    const w3c = parseTraceparent(event.Records[1]!.messageAttributes.traceparent?.stringValue)
    expect(both!.spanContext().traceId).toBe(w3c.traceId)
    expect(parentIdOf(both!)).toBe(w3c.parentId)
    expect(both!.links.map((l) => [l.context.traceId, l.context.spanId])).toContainEqual([
      '5759e988cafe0000babe1111deadbeef',
      '1111222233334444',
    ])
  })

  it("the invocation span's parent is Lambda's X-Ray context when _X_AMZN_TRACE_ID is set", async () => {
    process.env._X_AMZN_TRACE_ID = ENV_XRAY
    let invocationSpanId: string | undefined
    await traceLambdaHandler(async () => {
      invocationSpanId = trace.getActiveSpan()?.spanContext().spanId
    })(loadEvent('sqs'), lambdaContext())
    const invocation = tracing.spans().find((s) => s.spanContext().spanId === invocationSpanId)!
    expect(invocation.spanContext().traceId).toBe('65f1c2a30123456789abcdef01234567')
    expect(parentIdOf(invocation)).toBe('0a1b2c3d4e5f6a7b')
  })

  it('batchItemFailures marks only the reported records as failed', async () => {
    const event = loadEvent('sqs')
    const failedId = event.Records[1]!.messageId
    const handler = traceLambdaHandler(
      async (): Promise<SQSBatchResponse> => ({ batchItemFailures: [{ itemIdentifier: failedId }] }),
    )
    await handler(event, lambdaContext())
    const status = (id: string) =>
      tracing.spans().find((s) => s.attributes['messaging.message.id'] === id)!.status.code
    expect(status(event.Records[0]!.messageId)).toBe(SpanStatusCode.UNSET)
    expect(status(failedId)).toBe(SpanStatusCode.ERROR)
    const invocation = tracing.spans().find((s) => s.attributes['faas.trigger'] === 'pubsub')!
    expect(invocation.status.code).toBe(SpanStatusCode.UNSET)
  })

  it('an exception fails the invocation span and every process span, and is rethrown', async () => {
    const failure = new Error('poison message')
    await expect(
      traceLambdaHandler(async () => {
        throw failure
      })(loadEvent('sqs'), lambdaContext()),
    ).rejects.toBe(failure)
    const spans = tracing.spans()
    expect(spans).toHaveLength(3)
    for (const span of spans) expect(span.status.code).toBe(SpanStatusCode.ERROR)
  })

  it('recordContext outside a traced invocation is the active context', () => {
    const record = loadEvent('sqs').Records[0]!
    expect(recordContext(record)).toBe(context.active())
  })
})

describe('SNS events', () => {
  it('one invocation span linked to the record, a process span under the publisher', async () => {
    const event = loadEvent('sns')
    let recordSpanId: string | undefined
    await traceLambdaHandler(async (e: typeof event) => {
      recordSpanId = trace.getSpanContext(recordContext(e.Records[0]!))?.spanId
    })(event, lambdaContext())
    const publisher = parseTraceparent(event.Records[0]!.Sns.MessageAttributes.traceparent?.Value)
    const spans = tracing.spans()
    expect(spans).toHaveLength(2)
    const process = spans.find(
      (s) => s.attributes['messaging.message.id'] === event.Records[0]!.Sns.MessageId,
    )!
    const invocation = spans.find((s) => s !== process)!
    expect(parentIdOf(process)).toBe(publisher.parentId)
    expect(process.spanContext().spanId).toBe(recordSpanId)
    expect(invocation.links.map((l) => l.context.spanId)).toEqual([publisher.parentId])
    expect(invocation.attributes).toMatchObject({
      'messaging.system': 'aws.sns',
      'messaging.destination.name': 'orders',
      'faas.trigger': 'pubsub',
    })
  })
})
