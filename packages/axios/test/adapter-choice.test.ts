import { SpanKind, trace } from '@opentelemetry/api'
import { instrumentAxios } from '@otel-http/axios'
import { createClientInstrumentation } from '@otel-http/core'
import axios, { type AxiosRequestConfig } from 'axios'
import { Agent, type Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from 'undici'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { clientSpansOf, expectPropagated, type Tracing } from '../../../test/support/client-caller'
import { redirectUrl, useLoopbackServer } from '../../../test/support/loopback-server'
import { setupTracing } from '../../../test/support/tracing'
import { underParent } from '../../../test/support/under-parent'
import { takesHttpAdapter } from '../src/adapter-choice'
import { configsAtAdapter } from './configs-at-adapter'

type AdapterSetting = AxiosRequestConfig['adapter']
const fn = () => Promise.reject(new Error('not called'))

describe('takesHttpAdapter: the adapter axios picks, as its getAdapter does', () => {
  afterEach(() => vi.unstubAllGlobals())

  it.each<[string, unknown, boolean]>([
    ["axios's default list", ['xhr', 'http', 'fetch'], true],
    ['http', 'http', true],
    ['HTTP, any case', ['HTTP', 'fetch'], true],
    ['null and false skipped', [null, false, 'http'], true],
    ['fetch', 'fetch', false],
    ['fetch first', ['fetch', 'http'], false],
    ['xhr unavailable, then fetch', ['xhr', 'fetch'], false],
    ['a function first', [fn, 'http'], false],
    ['a function', fn, false],
    ['an empty list', [], false],
    ['not set', undefined, false],
    ['an unknown name', ['carrier-pigeon', 'http'], false],
  ])('%s', (_, setting, expected) => {
    expect(takesHttpAdapter(setting)).toBe(expected)
    // What axios itself resolves it to, where it resolves.
    if (expected) expect(axios.getAdapter(setting as AdapterSetting)).toBe(axios.getAdapter('http'))
  })

  it('answers false where XMLHttpRequest exists (axios picks xhr first)', () => {
    vi.stubGlobal('XMLHttpRequest', class {})
    expect(takesHttpAdapter(['xhr', 'http', 'fetch'])).toBe(false)
    expect(takesHttpAdapter(['http', 'xhr'])).toBe(true)
  })
})

describe('instrumentAxios prepares only the transport axios will use (loopback server)', () => {
  let tracing: Tracing
  const server = useLoopbackServer()
  beforeAll(() => {
    tracing = setupTracing()
  })
  beforeEach(() => {
    tracing.reset()
    server.requests.length = 0
  })

  /** An instrumented instance, and the configs its adapter gets. */
  function instance(adapter: AdapterSetting, options: Parameters<typeof instrumentAxios>[1] = {}) {
    const api = axios.create({ baseURL: server.origin, ...(adapter === undefined ? {} : { adapter }) })
    const configs = configsAtAdapter(api)
    instrumentAxios(api, options)
    return { api, configs }
  }

  it('gives the http adapter (the default list in Node) no fetch fields, and still checks its hops', async () => {
    const { api, configs } = instance(undefined)
    const { parent: caller } = await underParent(tracing.tracer, () =>
      api.get(redirectUrl('', 302, '/landed')),
    )
    const [config] = configs
    expect(Object.hasOwn(config?.env ?? {}, 'fetch')).toBe(false)
    expect(config?.fetchOptions).toBeUndefined()
    expect(typeof config?.beforeRedirect).toBe('function')
    expect(server.requests.map((r) => r.url)).toEqual([expect.stringContaining('/redirect/302'), '/landed'])
    const client = expectPropagated(server.requests[1]!, tracing, caller)
    expect(client.attributes['http.request.resend_count']).toBe(1)
  })

  it('still gives the fetch adapter its fields under a propagateTo, whatever adapter it guesses', async () => {
    const { api, configs } = instance(undefined, { propagateTo: [server.origin] })
    await underParent(tracing.tracer, () => api.get('/allowed'))
    expect(Object.hasOwn(configs[0]?.env ?? {}, 'fetch')).toBe(true)
    expect(server.requests[0]?.traceparent).toHaveLength(1)
  })

  // axios reaches its fetch adapter through each of these: the fetch must run in the CLIENT span's
  // context and have its redirect hops counted, as with `adapter: 'fetch'`.
  it.each<[string, AdapterSetting]>([
    ['xhr (unavailable), then fetch', ['xhr', 'fetch']],
    ['fetch before http', ['fetch', 'http']],
    ['null skipped, then fetch', [null as unknown as 'fetch', 'fetch']],
  ])('runs the fetch adapter in the call context: %s', async (_, adapter) => {
    const lower = createClientInstrumentation({}, { name: 'lower-layer' })
    const seen: Array<{ traced: boolean; activeSpan: string | undefined }> = []
    const probing = (dispatch: Dispatcher['dispatch']): Dispatcher['dispatch'] =>
      function probeDispatch(options, handler) {
        const call = lower.start({ method: 'GET', url: () => new URL(server.origin), request: undefined })
        call?.end({})
        seen.push({ traced: call === undefined, activeSpan: trace.getActiveSpan()?.spanContext().spanId })
        return dispatch(options, handler)
      }
    const previous = getGlobalDispatcher()
    setGlobalDispatcher(new Agent().compose(probing))
    try {
      const { api, configs } = instance(adapter)
      const { parent: caller } = await underParent(tracing.tracer, () =>
        api.get(redirectUrl('', 307, '/landed')),
      )
      expect(Object.hasOwn(configs[0]?.env ?? {}, 'fetch')).toBe(true)
      const [client] = clientSpansOf(tracing, caller)
      expect(clientSpansOf(tracing, caller)).toHaveLength(1)
      expect(tracing.spans().filter((s) => s.kind === SpanKind.CLIENT)).toHaveLength(1)
      expectPropagated(server.requests[1]!, tracing, caller)
      expect(client?.attributes['http.request.resend_count']).toBe(1)
      const inSpan = { traced: true, activeSpan: client?.spanContext().spanId }
      expect(seen).toEqual([inSpan, inSpan])
    } finally {
      setGlobalDispatcher(previous)
    }
  })
})
