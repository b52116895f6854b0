import { once } from 'node:events'
import { createServer } from 'node:net'
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { instrumentAxios } from '@otel-http/axios'
import { createClientInstrumentation, type OutboundHandle } from '@otel-http/core'
import axios, { type AxiosAdapter, isAxiosError } from 'axios'
import { Agent, type Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from 'undici'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  asCaller,
  captureDiag,
  clientSpansOf,
  expectPropagated,
  type Tracing,
} from '../../../test/support/client-caller'
import { parseTraceparent, setupTracing } from '../../../test/support/tracing'
import { startLoopbackServer } from './loopback-server'

let tracing: Tracing
let diagnostics: ReturnType<typeof captureDiag>
let server: Awaited<ReturnType<typeof startLoopbackServer>>

beforeAll(async () => {
  tracing = setupTracing()
  diagnostics = captureDiag()
  server = await startLoopbackServer()
})
afterEach(() => {
  expect(diagnostics.endedTwice()).toEqual([])
})
afterAll(() => server.close())
beforeEach(() => {
  tracing.reset()
  diagnostics.messages.length = 0
  server.seen.length = 0
})

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address() as { port: number }
  probe.close()
  await once(probe, 'close')
  return port
}

describe.each(['http', 'fetch'] as const)(
  'instrumentAxios with the %s adapter (loopback server)',
  (adapter) => {
    const create = () => axios.create({ adapter, baseURL: server.origin })

    it('puts exactly one traceparent on the wire, parented by the CLIENT span', async () => {
      const api = create()
      instrumentAxios(api)
      const { caller } = await asCaller(tracing, () =>
        api.get('/users', {
          headers: { traceparent: '00-11111111111111111111111111111111-2222222222222222-01' },
        }),
      )
      expect(server.seen).toHaveLength(1)
      const client = expectPropagated(server.seen[0]!.wire, tracing, caller)
      expect(client.attributes).toMatchObject({
        'url.full': `${server.origin}/users`,
        'server.address': '127.0.0.1',
        'server.port': Number(new URL(server.origin).port),
        'http.response.status_code': 200,
      })
    })

    it('gives 200 concurrent requests, each under its own parent, their own parent', async () => {
      const api = create()
      instrumentAxios(api)
      const callers = await Promise.all(
        Array.from({ length: 200 }, (_, i) => asCaller(tracing, () => api.get(`/concurrent/${i}`))),
      )
      expect(server.seen).toHaveLength(200)
      for (const [i, { caller }] of callers.entries()) {
        const request = server.seen.find((r) => r.url === `/concurrent/${i}`)!
        expectPropagated(request.wire, tracing, caller)
      }
    })

    it('ends the span once, as an error, when the connection is refused', async () => {
      const api = axios.create({ adapter, baseURL: `http://127.0.0.1:${await closedPort()}` })
      instrumentAxios(api)
      const { result: error, caller } = await asCaller(tracing, () => api.get('/refused').catch((e) => e))
      expect(isAxiosError(error)).toBe(true)
      const client = clientSpansOf(tracing, caller)
      expect(client).toHaveLength(1)
      expect(client[0]!.status.code).toBe(SpanStatusCode.ERROR)
      // The fetch adapter reports axios's own code; the socket's ECONNREFUSED is two causes down.
      expect(client[0]!.attributes['error.type']).toBe(adapter === 'http' ? 'ECONNREFUSED' : 'ERR_NETWORK')
    })

    it('ends the span once, as an error, on a timeout', async () => {
      const api = create()
      instrumentAxios(api)
      const { result: error, caller } = await asCaller(tracing, () =>
        api.get('/hang/timeout', { timeout: 100 }).catch((e) => e),
      )
      const code = adapter === 'http' ? 'ECONNABORTED' : 'ETIMEDOUT'
      expect(isAxiosError(error) && error.code).toBe(code)
      const client = clientSpansOf(tracing, caller)
      expect(client).toHaveLength(1)
      expect(client[0]!.status.code).toBe(SpanStatusCode.ERROR)
      expect(client[0]!.attributes['error.type']).toBe(code)
    })

    it('ends the span once, as an error, when aborted in flight', async () => {
      const api = create()
      instrumentAxios(api)
      const controller = new AbortController()
      server.whenHanging(() => controller.abort())
      const { result: error, caller } = await asCaller(tracing, () =>
        api.get('/hang/abort', { signal: controller.signal }).catch((e) => e),
      )
      expect(axios.isCancel(error)).toBe(true)
      expect(server.seen).toHaveLength(1)
      const client = clientSpansOf(tracing, caller)
      expect(client).toHaveLength(1)
      expect(client[0]!.status.code).toBe(SpanStatusCode.ERROR)
      expect(client[0]!.attributes['error.type']).toBe('ERR_CANCELED')
    })
  },
)

describe('one request, one span', () => {
  // What an otel-http layer below axios does first: ask core whether the request is already traced.
  const lower = createClientInstrumentation({}, { name: 'lower-layer' })
  const probe = () => {
    const call: OutboundHandle | undefined = lower.start({
      method: 'GET',
      url: () => new URL(server.origin),
      request: undefined,
    })
    call?.end({})
    return { traced: call === undefined, activeSpan: trace.getActiveSpan()?.spanContext().spanId }
  }

  it("runs Node's global fetch under axios's fetch adapter in the CLIENT span's context", async () => {
    const seen: ReturnType<typeof probe>[] = []
    const previous = getGlobalDispatcher()
    const probing = (dispatch: Dispatcher['dispatch']): Dispatcher['dispatch'] =>
      function probeDispatch(options, handler) {
        seen.push(probe())
        return dispatch(options, handler)
      }
    setGlobalDispatcher(new Agent().compose(probing))
    try {
      const api = axios.create({ adapter: 'fetch', baseURL: server.origin })
      instrumentAxios(api)
      const { caller } = await asCaller(tracing, () => api.get('/global-fetch'))
      const client = expectPropagated(server.seen[0]!.wire, tracing, caller)
      expect(seen).toEqual([{ traced: true, activeSpan: client.spanContext().spanId }])
      expect(tracing.spans().filter((s) => s.kind === SpanKind.CLIENT)).toHaveLength(1)
    } finally {
      setGlobalDispatcher(previous)
    }
  })

  it('runs a custom env.fetch and a custom adapter in that context too', async () => {
    const seen: ReturnType<typeof probe>[] = []
    const api = axios.create({
      adapter: 'fetch',
      baseURL: server.origin,
      env: {
        fetch: (input: URL | Request | string, init?: RequestInit) => {
          seen.push(probe())
          return fetch(input, init)
        },
      },
    })
    instrumentAxios(api)
    const http = axios.getAdapter('http')
    const custom: AxiosAdapter = (config) => {
      seen.push(probe())
      return http(config)
    }
    const { caller } = await asCaller(tracing, async () => {
      await api.get('/custom-fetch', { fetchOptions: { cache: 'no-store' } })
      await api.get('/custom-adapter', { adapter: custom })
    })
    const clients = clientSpansOf(tracing, caller)
    expect(clients).toHaveLength(2)
    const sentParents = server.seen.map((r) => parseTraceparent(r.wire.traceparent[0]).parentId)
    expect(seen).toEqual(sentParents.map((id) => ({ traced: true, activeSpan: id })))
  })

  /** An instance whose custom adapter records what it runs in, retrying a 500 once at `retryUrl`. */
  function retryingOnce(options: Parameters<typeof instrumentAxios>[1], retryUrl: string) {
    const seen: ReturnType<typeof probe>[] = []
    const http = axios.getAdapter('http')
    const api = axios.create({
      baseURL: server.origin,
      adapter: (config) => {
        seen.push(probe())
        return http(config)
      },
    })
    instrumentAxios(api, options)
    api.interceptors.response.use(undefined, (error) => {
      if (!isAxiosError(error) || !error.config || error.config.url !== '/status/500') throw error
      return api.request({ ...error.config, url: retryUrl })
    })
    return { api, seen }
  }

  it('runs a retried request in its own span context, not the first attempt’s', async () => {
    const { api, seen } = retryingOnce({}, '/ok')
    await asCaller(tracing, () => api.get('/status/500'))
    const sentParents = server.seen.map((r) => parseTraceparent(r.wire.traceparent[0]).parentId)
    expect(new Set(sentParents).size).toBe(2)
    expect(seen).toEqual(sentParents.map((id) => ({ traced: true, activeSpan: id })))
  })

  it('runs a retry that is not traced outside the first attempt’s span context', async () => {
    const { api, seen } = retryingOnce({ ignore: [`${server.origin}/untraced`] }, '/untraced')
    const { caller } = await asCaller(tracing, () => api.get('/status/500'))
    const [first, retry] = server.seen.map((r) => r.wire.traceparent)
    expect(seen[0]).toEqual({ traced: true, activeSpan: parseTraceparent(first![0]).parentId })
    expect(retry).toEqual([])
    expect(seen[1]).toEqual({ traced: false, activeSpan: caller.spanContext().spanId })
  })

  it('leaves the context alone once ejected', async () => {
    const api = axios.create({ adapter: 'fetch', baseURL: server.origin })
    instrumentAxios(api)()
    const { caller } = await asCaller(tracing, () => api.get('/after-eject'))
    expect(server.seen[0]!.wire.traceparent).toEqual([])
    expect(clientSpansOf(tracing, caller)).toHaveLength(0)
  })
})
