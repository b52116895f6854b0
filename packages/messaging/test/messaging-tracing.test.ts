import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import {
  injectKafkaHeaders,
  type KafkaHeaders,
  kafkaHeadersGetter,
  messagingTracing,
  traceBatch,
  traceProcess,
  traceSend,
} from '@otel-http/messaging'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parentIdOf, parseTraceparent, setupTracing } from '../../../test/support/tracing'

const orders = { system: 'kafka', destination: 'orders' }

/** A real SDK provider whose `getTracer` calls are counted: one call per options compile. */
function countingProvider(provider: TracerProvider) {
  const counted = {
    calls: 0,
    getTracer(...args: Parameters<TracerProvider['getTracer']>): Tracer {
      counted.calls++
      return provider.getTracer(...args)
    },
  }
  return counted
}

// One message through every operation: send, process it, process it again in a batch.
async function roundTrip(ops: {
  send: typeof traceSend
  process: typeof traceProcess
  batch: typeof traceBatch
}) {
  let headers: KafkaHeaders = {}
  const id = await ops.send(
    orders,
    (send) => {
      headers = injectKafkaHeaders(send)
      return { id: 'm-1' }
    },
    { messageId: (r) => r.id },
  )
  await ops.process(orders, { carrier: headers, getter: kafkaHeadersGetter }, () => {})
  await ops.batch(orders, [{ carrier: headers, getter: kafkaHeadersGetter }], () => {})
  return { id, headers }
}

let tracing: ReturnType<typeof setupTracing>
beforeAll(() => {
  tracing = setupTracing()
})
beforeEach(() => tracing.reset())

describe('messagingTracing(options): the compiled form', () => {
  it('looks the tracer up once, however many messages it traces', async () => {
    const provider = countingProvider(tracing.provider)
    const compiled = messagingTracing({ tracerProvider: provider })
    expect(provider.calls).toBe(1)
    for (let i = 0; i < 3; i++) {
      await roundTrip({
        send: (op, fn, o) => compiled.send(op, fn, o),
        process: (op, m, h) => compiled.process(op, m, h),
        batch: (op, ms, h) => compiled.batch(op, ms, h),
      })
    }
    expect(provider.calls).toBe(1)
    expect(tracing.spans()).toHaveLength(9)
  })

  it('evaluates the baggage predicate once per Baggage object across sends', async () => {
    const asked: string[] = []
    const compiled = messagingTracing({
      baggage: (key) => {
        asked.push(key)
        return key === 'tenant'
      },
    })
    const bag = propagation.createBaggage({ tenant: { value: 'acme' }, plan: { value: 'gold' } })
    const sent: KafkaHeaders[] = []
    await context.with(propagation.setBaggage(context.active(), bag), async () => {
      for (let i = 0; i < 3; i++) await compiled.send(orders, (send) => sent.push(injectKafkaHeaders(send)))
    })
    expect(asked.sort()).toEqual(['plan', 'tenant'])
    expect(sent.map((h) => h.baggage)).toEqual(['tenant=acme', 'tenant=acme', 'tenant=acme'])
  })

  it('traces exactly as the free functions do: producer parent, batch link, message id', async () => {
    const compiled = messagingTracing()
    const { id, headers } = await roundTrip(compiled)
    expect(id).toEqual({ id: 'm-1' })
    const [producer, process, batch] = tracing.spans()
    expect(producer!.kind).toBe(SpanKind.PRODUCER)
    expect(producer!.attributes['messaging.message.id']).toBe('m-1')
    expect(parseTraceparent(headers.traceparent as string).parentId).toBe(producer!.spanContext().spanId)
    expect(process!.kind).toBe(SpanKind.CONSUMER)
    expect(parentIdOf(process!)).toBe(producer!.spanContext().spanId)
    expect(batch!.links.map((l) => l.context.spanId)).toEqual([producer!.spanContext().spanId])

    tracing.reset()
    await roundTrip({ send: traceSend, process: traceProcess, batch: traceBatch })
    const free = tracing.spans()
    expect(free.map((s) => [s.name, s.kind, s.attributes])).toEqual(
      [producer!, process!, batch!].map((s) => [s.name, s.kind, s.attributes]),
    )
  })

  it('records a failure and rethrows it unchanged', async () => {
    const failure = new TypeError('broker down')
    await expect(messagingTracing().send(orders, () => Promise.reject(failure))).rejects.toBe(failure)
    await expect(
      messagingTracing().process(orders, { carrier: {}, getter: kafkaHeadersGetter }, () => {
        throw failure
      }),
    ).rejects.toBe(failure)
    const spans = tracing.spans()
    expect(spans.map((s) => [s.status.code, s.attributes['error.type']])).toEqual([
      [SpanStatusCode.ERROR, 'TypeError'],
      [SpanStatusCode.ERROR, 'TypeError'],
    ])
  })
})

describe('traceSend / traceProcess / traceBatch without options', () => {
  it('share one default instance: the global tracer is looked up once', async () => {
    const provider = countingProvider(tracing.provider)
    trace.disable()
    trace.setGlobalTracerProvider(provider)
    for (let i = 0; i < 3; i++) await roundTrip({ send: traceSend, process: traceProcess, batch: traceBatch })
    expect(provider.calls).toBe(1)
    expect(tracing.spans()).toHaveLength(9)
  })

  it('follow the application when it registers another global tracer provider', async () => {
    await traceSend(orders, () => {})
    const exporter = new InMemorySpanExporter()
    trace.disable()
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    )
    await traceSend(orders, () => {})
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['send orders'])
  })
})
