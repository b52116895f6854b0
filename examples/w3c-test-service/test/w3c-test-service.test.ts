import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SpanKind } from '@opentelemetry/api'
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { request } from 'undici'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parentIdOf, parseTraceparent } from '../../../test/support/tracing'
import { registerTracing } from '../src/register-tracing'
import { testServiceListener } from '../src/test-service'

const TID = '12345678901234567890123456789012'
const PID = '1234567890123456'

interface Received {
  path: string
  headers: IncomingHttpHeaders
  rawHeaders: string[]
  body: string
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('w3c-test-service, replaying W3C harness cases', () => {
  const exporter = new InMemorySpanExporter()
  const received: Received[] = []
  // The harness's side: a loopback receiver recording every callback the service makes.
  const receiver = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      body += chunk
    })
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body })
      res.end('{}')
    })
  })
  const service = createServer(testServiceListener)
  let receiverUrl = ''
  let serviceUrl = ''

  beforeAll(async () => {
    registerTracing([new SimpleSpanProcessor(exporter)])
    receiverUrl = await listen(receiver)
    serviceUrl = await listen(service)
  })
  afterAll(async () => {
    for (const server of [service, receiver]) {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
  beforeEach(() => {
    received.length = 0
    exporter.reset()
  })

  /** Sends the harness's request: headers as a flat list (so a name may repeat) and `count` callbacks. */
  async function harness(headers: string[], count = 1) {
    const body = Array.from({ length: count }, (_, i) => ({ url: `${receiverUrl}/${i}`, arguments: [{ i }] }))
    const response = await request(`${serviceUrl}/test`, {
      method: 'POST',
      headers: ['content-type', 'application/json', ...headers],
      body: JSON.stringify(body),
    })
    const answer = await response.body.json()
    expect(response.statusCode).toBe(200)
    expect(answer).toEqual(body.map(({ url }) => ({ url, status: 200 })))
    expect(received.map((r) => r.path)).toEqual(body.map((_, i) => `/${i}`))
    return received.map((r) => {
      const names = r.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase())
      expect(names.filter((n) => n === 'traceparent')).toHaveLength(1)
      return {
        ...parseTraceparent(r.headers.traceparent as string),
        tracestate: r.headers.tracestate,
        body: r.body,
      }
    })
  }

  it('continues a valid traceparent: same trace id, the CLIENT span as the new parent id, arguments as the body', async () => {
    const [callback] = await harness(['traceparent', `00-${TID}-${PID}-01`])
    expect(callback!.traceId).toBe(TID)
    expect(callback!.parentId).not.toBe(PID)
    expect(callback!.flags).toBe('01')
    expect(callback!.body).toBe('[{"i":0}]')

    const spans = exporter.getFinishedSpans()
    const server = spans.find((s) => s.kind === SpanKind.SERVER)!
    const client = spans.find((s) => s.kind === SpanKind.CLIENT)!
    expect(parentIdOf(server)).toBe(PID)
    expect(parentIdOf(client)).toBe(server.spanContext().spanId)
    expect(client.spanContext().spanId).toBe(callback!.parentId)
  })

  it('keeps the random-trace-id flag of the incoming trace and sets it on a trace it starts', async () => {
    const [continued] = await harness(['traceparent', `00-${TID}-${PID}-03`])
    expect(continued).toMatchObject({ traceId: TID, flags: '03' })
    received.length = 0
    const [started] = await harness([])
    expect(started!.flags).toBe('03')
    expect(started!.traceId).not.toBe(TID)
  })

  it('passes tracestate on, combining repeated headers in order', async () => {
    const [callback] = await harness([
      'traceparent',
      `00-${TID}-${PID}-00`,
      'tracestate',
      'foo=1,bar=2',
      'tracestate',
      'rojo=1,congo=2',
      'tracestate',
      'baz=3',
    ])
    expect(callback).toMatchObject({ traceId: TID, tracestate: 'foo=1,bar=2,rojo=1,congo=2,baz=3' })
  })

  it.each([
    ['one header', ['foo=1,foo=2']],
    ['two headers', ['foo=1', 'foo=2']],
  ])('keeps a tracestate whose key repeats (in %s), with the first member', async (_name, values) => {
    const [callback] = await harness([
      'traceparent',
      `00-${TID}-${PID}-00`,
      ...values.flatMap((value) => ['tracestate', value]),
    ])
    expect(callback).toMatchObject({ traceId: TID, tracestate: 'foo=1' })
  })

  it.each([
    ['an invalid key', 'foo=1,FOO=2'],
    ['33 members', Array.from({ length: 33 }, (_, i) => `bar${i}=${i}`).join(',')],
  ])('drops a tracestate with %s entirely and keeps the trace', async (_name, tracestate) => {
    const [callback] = await harness(['traceparent', `00-${TID}-${PID}-00`, 'tracestate', tracestate])
    expect(callback).toMatchObject({ traceId: TID, tracestate: undefined })
  })

  it('restarts the trace on a repeated traceparent and drops tracestate', async () => {
    const [callback] = await harness([
      'traceparent',
      `00-${TID.replace(/2$/, '1')}-${PID}-01`,
      'traceparent',
      `00-${TID}-${PID}-01`,
      'tracestate',
      'foo=1',
    ])
    expect(callback!.traceId).not.toBe(TID)
    expect(callback!.traceId).not.toBe(TID.replace(/2$/, '1'))
    expect(callback!.tracestate).toBeUndefined()
  })

  it.each([
    ['version ff', `ff-${TID}-${PID}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${PID}-01`],
    ['trailing data on version 00', `00-${TID}-${PID}-01.`],
  ])('restarts the trace on %s', async (_name, traceparent) => {
    const [callback] = await harness(['traceparent', traceparent])
    expect(callback!.traceId).not.toBe(TID)
  })

  it('accepts a future version and answers with version 00', async () => {
    const [callback] = await harness(['traceparent', `cc-${TID}-${PID}-01-what-the-future-will-be-like`])
    expect(callback).toMatchObject({ traceId: TID, flags: '01' })
  })

  it('makes the callbacks in order, one trace, a new parent id each', async () => {
    const callbacks = await harness(['traceparent', `00-${TID}-${PID}-01`], 3)
    expect(new Set(callbacks.map((c) => c.traceId))).toEqual(new Set([TID]))
    expect(new Set(callbacks.map((c) => c.parentId)).size).toBe(3)
  })

  it('answers 404 elsewhere and 400 for a body that is not a list of callbacks', async () => {
    const status = async (path: string, body: string) => {
      const response = await request(`${serviceUrl}${path}`, { method: 'POST', body })
      await response.body.dump()
      return response.statusCode
    }
    expect(await status('/other', '[]')).toBe(404)
    expect(await status('/test', '{')).toBe(400)
    expect(await status('/test', '{"url":1}')).toBe(400)
  })
})
