import { SpanKind } from '@opentelemetry/api'
import {
  injectKafkaHeaders,
  type KafkaHeaders,
  kafkaHeadersGetter,
  traceBatch,
  traceProcess,
  traceSend,
} from '@otel-http/messaging'
import type { IHeaders, KafkaMessage, Message } from 'kafkajs'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parentIdOf, parseTraceparent, setupTracing } from '../../../test/support/tracing'

const TP = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
const orders = { system: 'kafka', destination: 'orders' }

let tracing: ReturnType<typeof setupTracing>
beforeAll(() => {
  tracing = setupTracing()
})
beforeEach(() => tracing.reset())

// What the kafkajs consumer hands to eachMessage: header values arrive as Buffers.
function delivered(message: Message, offset: number): KafkaMessage {
  const headers: IHeaders = {}
  for (const [key, value] of Object.entries(message.headers ?? {})) {
    headers[key] = Array.isArray(value) ? value.map((v) => Buffer.from(v)) : Buffer.from(value as string)
  }
  return {
    key: null,
    value: Buffer.from(String(message.value)),
    timestamp: '0',
    attributes: 0,
    offset: String(offset),
    headers,
  }
}

describe('Kafka headers carrier (kafkajs types)', () => {
  it('reads string and Buffer values, and treats a repeated traceparent as invalid', () => {
    expect(kafkaHeadersGetter.get({ traceparent: TP }, 'traceparent')).toBe(TP)
    expect(kafkaHeadersGetter.get({ traceparent: Buffer.from(TP) }, 'traceparent')).toBe(TP)
    expect(kafkaHeadersGetter.get({ traceparent: [Buffer.from(TP), TP] }, 'traceparent')).toBeUndefined()
    expect(kafkaHeadersGetter.get({ tracestate: [Buffer.from('a=1'), 'b=2'] }, 'tracestate')).toBe('a=1,b=2')
    expect(kafkaHeadersGetter.get(undefined, 'traceparent')).toBeUndefined()
    expect(kafkaHeadersGetter.keys({ a: 'x', traceparent: TP })).toEqual(['a', 'traceparent'])
  })

  it('reads a value that is neither text nor bytes as absent, also among repeats', () => {
    // Untyped producers and decoders deliver what the types rule out.
    const odd = { traceparent: 7, tracestate: ['a=1', null] } as unknown as KafkaHeaders
    expect(kafkaHeadersGetter.get(odd, 'traceparent')).toBeUndefined()
    expect(kafkaHeadersGetter.get(odd, 'tracestate')).toBeUndefined()
  })

  it('injects into a copy of the headers: a kafkajs Message is never modified', async () => {
    const message: Message = { key: 'k1', value: 'order', headers: { source: Buffer.from('web') } }
    const headers = message.headers
    let sent: Message | undefined
    await traceSend({ ...orders, operationName: 'send' }, (send) => {
      sent = { ...message, headers: injectKafkaHeaders(send, message.headers) }
    })
    expect(message.headers).toBe(headers)
    expect(Object.keys(message.headers!)).toEqual(['source'])
    expect(sent!.headers!.source).toEqual(Buffer.from('web'))
    const [producer] = tracing.spans()
    expect(producer!.kind).toBe(SpanKind.PRODUCER)
    expect(parseTraceparent(sent!.headers!.traceparent as string).parentId).toBe(
      producer!.spanContext().spanId,
    )
  })

  it('continues the trace in eachMessage and links every message in eachBatch', async () => {
    const sent: Message[] = []
    for (const value of ['a', 'b']) {
      await traceSend(orders, (send) => {
        sent.push({ value, headers: injectKafkaHeaders(send) })
      })
    }
    const producers = tracing.spans().map((s) => s.spanContext().spanId)
    const consumed = sent.map(delivered)

    await traceProcess(
      { ...orders, attributes: { 'messaging.kafka.offset': 0 } },
      { carrier: consumed[0]!.headers, getter: kafkaHeadersGetter },
      () => {},
    )
    const process = tracing.spans().find((s) => s.kind === SpanKind.CONSUMER)!
    expect(parentIdOf(process)).toBe(producers[0])
    expect(process.attributes['messaging.kafka.offset']).toBe(0)

    tracing.reset()
    await traceBatch(
      orders,
      consumed.map((m) => ({ carrier: m.headers, getter: kafkaHeadersGetter })),
      () => {},
    )
    const [batch] = tracing.spans()
    expect(batch!.links.map((l) => l.context.spanId)).toEqual(producers)
  })
})
