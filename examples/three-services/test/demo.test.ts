import { beforeAll, describe, expect, it } from 'vitest'
import type { DemoSpan } from '../src/demo-span'
import { type DemoResult, FORGED, runDemo } from '../src/run-demo'

// Who calls whom: the SERVER span of each service must be the child of a CLIENT span of its caller.
const CALLER: Record<string, string> = {
  'service-a': 'gateway',
  'service-b': 'service-a',
  'service-c': 'service-b',
  notifier: 'receipts',
}
const SERVICES = ['gateway', 'service-a', 'service-b', 'service-c', 'receipts', 'notifier']

const byId = (spans: DemoSpan[]) => new Map(spans.map((s) => [s.spanId, s]))

describe('runDemo', () => {
  let result: DemoResult

  beforeAll(async () => {
    result = await runDemo({ otlp: false })
  }, 60_000)

  it('serves the checkout', () => {
    expect(result.status).toBe(200)
  })

  it('records one trace across the gateway, A, B, C, the queue, the Lambda and the notifier', () => {
    expect(result.traceId).toMatch(/^[0-9a-f]{32}$/)
    expect(new Set(result.spans.map((s) => s.traceId))).toEqual(new Set([result.traceId]))
    expect(new Set(result.spans.map((s) => s.service))).toEqual(new Set(SERVICES))
    // 5 servers; 4 internal calls + 1 third-party call; 1 message sent and processed
    expect(result.spans.filter((s) => s.kind === 'SERVER')).toHaveLength(5)
    expect(result.spans.filter((s) => s.kind === 'CLIENT')).toHaveLength(5)
    expect(result.spans.filter((s) => s.kind === 'PRODUCER')).toHaveLength(1)
    expect(result.spans.filter((s) => s.kind === 'CONSUMER')).toHaveLength(1)
  })

  it('continues the trace through the SQS message into the Lambda child process', () => {
    const spans = byId(result.spans)
    const producer = result.spans.find((s) => s.kind === 'PRODUCER')!
    expect(producer.service).toBe('service-c')
    expect(spans.get(producer.parentSpanId ?? '')?.service).toBe('service-c')
    const processed = result.spans.find((s) => s.kind === 'CONSUMER')!
    expect(processed.service).toBe('receipts')
    expect(processed.parentSpanId).toBe(producer.spanId)
    expect(processed.attributes['messaging.system']).toBe('aws_sqs')
    const call = result.spans.find((s) => s.kind === 'CLIENT' && s.service === 'receipts')!
    expect(call.parentSpanId).toBe(processed.spanId)
    expect(result.lambdaResult).toEqual({ batchItemFailures: [] })
    // The only span outside the trace is the invocation's, linked to the message (messaging semconv)
    expect(result.linkedSpans).toHaveLength(1)
    const invocation = result.linkedSpans[0]!
    expect(invocation.service).toBe('receipts')
    expect(invocation.links).toContainEqual(
      expect.objectContaining({ traceId: result.traceId, spanId: producer.spanId }),
    )
  })

  it("parents every SERVER span but the gateway's on a CLIENT span of the calling service", () => {
    const spans = byId(result.spans)
    for (const server of result.spans.filter((s) => s.kind === 'SERVER' && s.service !== 'gateway')) {
      const parent = spans.get(server.parentSpanId ?? '')
      expect(parent, `${server.service} ${server.name}`).toBeDefined()
      expect(parent!.kind).toBe('CLIENT')
      expect(parent!.service).toBe(CALLER[server.service])
    }
  })

  it('puts user_id=alice on every span', () => {
    for (const span of result.spans)
      expect(span.attributes.user_id, `${span.service} ${span.name}`).toBe('alice')
  })

  it('sends no trace headers and no baggage to the third party', () => {
    expect(result.thirdPartyReceived).toHaveLength(1)
    const received = result.thirdPartyReceived[0]!
    expect(received).toContain('host')
    expect(received).not.toContain('traceparent')
    expect(received).not.toContain('tracestate')
    expect(received).not.toContain('baggage')
    // …while the call itself is still traced, and the evidence is in the trace
    const call = result.spans.find(
      (s) => s.kind === 'CLIENT' && String(s.attributes['url.full']).endsWith('/v1/score'),
    )
    expect(call?.service).toBe('service-c')
    const c = result.spans.find((s) => s.service === 'service-c' && s.kind === 'SERVER')
    expect(c?.attributes['demo.third_party_received_headers']).toEqual(received)
  })

  it('does not continue the forged context: a new root, linked to it, forged baggage dropped', () => {
    const root = result.spans.find((s) => s.service === 'gateway' && s.kind === 'SERVER')!
    expect(root.parentSpanId).toBeNull()
    expect(root.traceId).not.toBe(FORGED.traceId)
    expect(root.links).toContainEqual(
      expect.objectContaining({ traceId: FORGED.traceId, spanId: FORGED.spanId }),
    )
    expect(root.attributes['demo.inbound_baggage_keys']).toEqual([])
    for (const span of result.spans) expect(span.attributes.user_id).not.toBe('mallory')
  })

  it("counts each service's requests served and made in its HTTP metrics, with p50 and p99", () => {
    const counts = Object.fromEntries(
      result.requests.map(({ service, server, client }) => [service, [server.count, client.count]]),
    )
    // The third party's call is service C's; the Lambda runs in its own process.
    expect(counts).toEqual({
      gateway: [1, 1],
      'service-a': [1, 1],
      'service-b': [1, 1],
      'service-c': [1, 1],
      notifier: [1, 0],
    })
    for (const { server } of result.requests) {
      expect(server.p50).toBeGreaterThan(0)
      expect(server.p99).toBeGreaterThanOrEqual(server.p50!)
    }
  })

  it('carries whichever user the gateway authenticated', async () => {
    const bob = await runDemo({ otlp: false, userId: 'bob' })
    expect(bob.traceId).not.toBe(result.traceId)
    expect(bob.spans.map((s) => s.attributes.user_id)).toEqual(bob.spans.map(() => 'bob'))
  }, 60_000)
})
