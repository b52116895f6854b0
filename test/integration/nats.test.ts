import { SpanKind } from '@opentelemetry/api'
import { injectNatsHeaders, natsHeadersGetter, traceProcess, traceSend } from '@otel-http/messaging'
import { connect, headers, type Msg, type NatsConnection } from 'nats'
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { parentIdOf, parseTraceparent, setupTracing } from '../support/tracing'

import { NATS_SERVER } from './services'

// A real nats-server (NATS_URL, default 127.0.0.1:4222); `.ci/services` starts one.

let tracing: ReturnType<typeof setupTracing>
let nc: NatsConnection

beforeAll(async () => {
  tracing = setupTracing()
  nc = await connect({ servers: NATS_SERVER })
})
beforeEach(() => tracing.reset())
afterAll(async () => {
  await nc?.drain()
})

describe.skipIf(!inject('services').nats)('NATS through a real nats-server', () => {
  it('publish → subscribe keeps the producer span as the parent', async () => {
    const subject = `otel-http.test.${Date.now()}`
    const received = new Promise<Msg>((resolve) => {
      nc.subscribe(subject, { max: 1, callback: (_error, msg) => resolve(msg) })
    })
    await nc.flush()

    const own = headers()
    own.set('x-origin', 'test')
    await traceSend({ system: 'nats', destination: subject, operationName: 'publish' }, (send) =>
      nc.publish(subject, 'job', { headers: injectNatsHeaders(send, headers, own) }),
    )
    expect(own.keys()).toEqual(['x-origin'])

    const msg = await received
    expect(msg.headers?.get('x-origin')).toBe('test')
    const tp = parseTraceparent(natsHeadersGetter.get(msg.headers, 'traceparent') as string)

    await traceProcess(
      { system: 'nats', destination: msg.subject },
      { carrier: msg.headers, getter: natsHeadersGetter },
      () => tracing.tracer.startSpan('handle').end(),
    )

    const producer = tracing.spans().find((s) => s.kind === SpanKind.PRODUCER)!
    const consumer = tracing.spans().find((s) => s.kind === SpanKind.CONSUMER)!
    const handle = tracing.spans().find((s) => s.name === 'handle')!
    expect(tp.parentId).toBe(producer.spanContext().spanId)
    expect(parentIdOf(consumer)).toBe(producer.spanContext().spanId)
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId)
    expect(parentIdOf(handle)).toBe(consumer.spanContext().spanId)
  })

  it('a message published without headers is processed under the active span, not lost', async () => {
    const subject = `otel-http.test.plain.${Date.now()}`
    const received = new Promise<Msg>((resolve) => {
      nc.subscribe(subject, { max: 1, callback: (_error, msg) => resolve(msg) })
    })
    await nc.flush()
    nc.publish(subject, 'plain')
    const msg = await received
    expect(msg.headers).toBeUndefined()
    await traceProcess(
      { system: 'nats', destination: subject },
      { carrier: msg.headers, getter: natsHeadersGetter },
      () => {},
    )
    const [consumer] = tracing.spans()
    expect(consumer!.kind).toBe(SpanKind.CONSUMER)
    expect(consumer!.parentSpanContext).toBeUndefined()
  })
})
