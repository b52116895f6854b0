import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { suppressTracing } from '@opentelemetry/core'
import {
  createMessagingInstrumentation,
  type HeaderRecord,
  recordGetter,
  recordSetter,
} from '@otel-http/core'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parentIdOf, setupTracing, traceparentOf } from '../../../test/support/tracing'

let tracing: ReturnType<typeof setupTracing>
beforeAll(() => {
  tracing = setupTracing()
})
beforeEach(() => tracing.reset())

const scope = { name: 'test-messaging' }
const op = { system: 'rabbitmq', destination: 'jobs' }

describe('createMessagingInstrumentation', () => {
  it('starts a PRODUCER span with messaging attributes and injects it as the parent', () => {
    const messaging = createMessagingInstrumentation({}, scope)
    const carrier: HeaderRecord = {}
    const send = messaging.startSend({ ...op, operationName: 'publish' })
    send.inject(carrier, recordSetter)
    send.end({ messageId: 'm-1' })

    const [span] = tracing.spans()
    expect(span!.name).toBe('publish jobs')
    expect(span!.kind).toBe(SpanKind.PRODUCER)
    expect(span!.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.destination.name': 'jobs',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'publish',
      'messaging.message.id': 'm-1',
    })
    const tp = traceparentOf(carrier.traceparent as string)
    expect(tp.parentId).toBe(span!.spanContext().spanId)
    expect(tp.traceId).toBe(span!.spanContext().traceId)
  })

  it('makes the producer span the parent of the process span and links the active span', () => {
    const messaging = createMessagingInstrumentation({}, scope)
    const carrier: HeaderRecord = {}
    const send = messaging.startSend(op)
    send.inject(carrier, recordSetter)
    send.end()

    const outer = tracing.tracer.startSpan('receive loop')
    const processed = context.with(trace.setSpan(context.active(), outer), () =>
      messaging.startProcess(op, messaging.extract(carrier, recordGetter)),
    )
    expect(trace.getSpan(processed.context)).toBe(processed.span)
    processed.end()
    outer.end()

    const producer = tracing.spans().find((s) => s.kind === SpanKind.PRODUCER)!
    const consumer = tracing.spans().find((s) => s.kind === SpanKind.CONSUMER)!
    expect(consumer.name).toBe('process jobs')
    expect(consumer.attributes['messaging.operation.type']).toBe('process')
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId)
    expect(parentIdOf(consumer)).toBe(producer.spanContext().spanId)
    expect(consumer.links.map((l) => l.context.spanId)).toEqual([outer.spanContext().spanId])
  })

  it('gives a message without trace context the active span as parent', () => {
    const messaging = createMessagingInstrumentation({}, scope)
    const outer = tracing.tracer.startSpan('invocation')
    const processed = context.with(trace.setSpan(context.active(), outer), () =>
      messaging.startProcess(op, messaging.extract({}, recordGetter)),
    )
    processed.end()
    outer.end()
    const consumer = tracing.spans().find((s) => s.kind === SpanKind.CONSUMER)!
    expect(parentIdOf(consumer)).toBe(outer.spanContext().spanId)
    expect(consumer.links).toEqual([])
  })

  it('carries the message baggage into the process context', () => {
    const messaging = createMessagingInstrumentation({}, scope)
    const carrier: HeaderRecord = {}
    const bag = propagation.createBaggage({ tenant: { value: 'acme' } })
    context.with(propagation.setBaggage(context.active(), bag), () => {
      const send = messaging.startSend(op)
      send.inject(carrier, recordSetter)
      send.end()
    })
    const processed = messaging.startProcess(op, messaging.extract(carrier, recordGetter))
    expect(propagation.getBaggage(processed.context)?.getEntry('tenant')?.value).toBe('acme')
    processed.end()
  })

  it('starts one batch span with a link per message that carries context', () => {
    const messaging = createMessagingInstrumentation({}, scope)
    const carriers: HeaderRecord[] = [{}, {}, {}]
    const ids: string[] = []
    for (const carrier of carriers.slice(0, 2)) {
      const send = messaging.startSend(op)
      send.inject(carrier, recordSetter)
      ids.push(send.span!.spanContext().spanId)
      send.end()
    }
    const batch = messaging.startBatch(
      op,
      carriers.map((c) => messaging.extract(c, recordGetter)),
    )
    batch.end()
    const consumer = tracing.spans().find((s) => s.kind === SpanKind.CONSUMER)!
    expect(consumer.parentSpanContext).toBeUndefined()
    expect(consumer.links.map((l) => l.context.spanId)).toEqual(ids)
    expect(consumer.attributes['messaging.batch.message_count']).toBe(3)

    tracing.reset()
    messaging.startBatch(op, [], 'receive').end()
    expect(tracing.spans()[0]!.kind).toBe(SpanKind.CLIENT)
    expect(tracing.spans()[0]!.attributes['messaging.operation.type']).toBe('receive')
  })

  it('records an error and ends only once', () => {
    const messaging = createMessagingInstrumentation({}, scope)
    const send = messaging.startSend(op)
    send.end({ error: Object.assign(new Error('boom'), { name: 'QueueDoesNotExist' }) })
    send.end()
    expect(tracing.spans()).toHaveLength(1)
    expect(tracing.spans()[0]!.status.code).toBe(SpanStatusCode.ERROR)
    expect(tracing.spans()[0]!.attributes['error.type']).toBe('QueueDoesNotExist')
  })

  it('never sends secret-looking baggage keys', () => {
    const messaging = createMessagingInstrumentation({}, scope)
    const carrier: HeaderRecord = {}
    const bag = propagation.createBaggage({ user: { value: 'u1' }, api_token: { value: 's3cr3t' } })
    context.with(propagation.setBaggage(context.active(), bag), () => {
      const send = messaging.startSend(op)
      send.inject(carrier, recordSetter)
      send.end()
    })
    expect(carrier.baggage).toBe('user=u1')
  })

  it('injects without a span when spans is false, and not at all when tracing is suppressed', () => {
    const injectOnly = createMessagingInstrumentation({ spans: false }, scope)
    const outer = tracing.tracer.startSpan('outer')
    const carrier: HeaderRecord = {}
    context.with(trace.setSpan(context.active(), outer), () => {
      const send = injectOnly.startSend(op)
      expect(send.span).toBeUndefined()
      send.inject(carrier, recordSetter)
      send.end()
    })
    outer.end()
    expect(traceparentOf(carrier.traceparent as string).parentId).toBe(outer.spanContext().spanId)
    expect(tracing.spans().map((s) => s.name)).toEqual(['outer'])

    const messaging = createMessagingInstrumentation({}, scope)
    const suppressed: HeaderRecord = {}
    context.with(suppressTracing(context.active()), () => {
      const send = messaging.startSend(op)
      send.inject(suppressed, recordSetter)
      send.end()
    })
    expect(suppressed).toEqual({})
    expect(tracing.spans().map((s) => s.name)).toEqual(['outer'])
  })
})
