import { randomUUID } from 'node:crypto'
import { SpanKind } from '@opentelemetry/api'
import { amqpPropertiesGetter, injectAmqpProperties, traceProcess, traceSend } from '@otel-http/messaging'
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib'
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { parentIdOf, parseTraceparent, setupTracing } from '../support/tracing'

import { AMQP_URL } from './services'

// A real RabbitMQ (AMQP_URL, default 127.0.0.1:5672, guest/guest); `.ci/services` starts one.

let tracing: ReturnType<typeof setupTracing>
let connection: ChannelModel
let channel: Channel
let queue: string

beforeAll(async () => {
  tracing = setupTracing()
  connection = await amqp.connect(AMQP_URL)
  channel = await connection.createChannel()
  queue = (await channel.assertQueue(`otel-http-test-${randomUUID()}`, { exclusive: true, autoDelete: true }))
    .queue
})
beforeEach(() => tracing.reset())
afterAll(async () => {
  await channel?.close()
  await connection?.close()
})

/** The next message the broker delivers on the test queue. */
function nextMessage(): Promise<ConsumeMessage> {
  return new Promise((resolve, reject) => {
    channel
      .consume(queue, (msg) => {
        if (!msg) return reject(new Error('consumer cancelled'))
        channel.ack(msg)
        channel.cancel(msg.fields.consumerTag).then(() => resolve(msg), reject)
      })
      .catch(reject)
  })
}

describe.skipIf(!inject('services').rabbitmq)('AMQP through a real RabbitMQ', () => {
  it('publish → consume keeps the producer span as the parent', async () => {
    const options = { persistent: false, headers: { 'x-origin': 'test' } }
    const received = nextMessage()
    await traceSend({ system: 'rabbitmq', destination: queue, operationName: 'publish' }, (send) =>
      channel.sendToQueue(queue, Buffer.from('job'), injectAmqpProperties(send, options)),
    )
    // The caller's options object and its headers table are untouched.
    expect(options).toEqual({ persistent: false, headers: { 'x-origin': 'test' } })

    const msg = await received
    expect(msg.properties.headers?.['x-origin']).toBe('test')
    const tp = parseTraceparent(amqpPropertiesGetter.get(msg.properties, 'traceparent') as string)

    await traceProcess(
      { system: 'rabbitmq', destination: queue },
      { carrier: msg.properties, getter: amqpPropertiesGetter },
      () => tracing.tracer.startSpan('handle').end(),
    )

    const producer = tracing.spans().find((s) => s.kind === SpanKind.PRODUCER)!
    const consumer = tracing.spans().find((s) => s.kind === SpanKind.CONSUMER)!
    const handle = tracing.spans().find((s) => s.name === 'handle')!
    expect(tp.parentId).toBe(producer.spanContext().spanId)
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId)
    expect(parentIdOf(consumer)).toBe(producer.spanContext().spanId)
    expect(parentIdOf(handle)).toBe(consumer.spanContext().spanId)
    expect(consumer.attributes['messaging.system']).toBe('rabbitmq')
  })
})
