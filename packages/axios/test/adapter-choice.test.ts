import { SpanKind, trace } from '@opentelemetry/api'
import { instrumentAxios } from '@otel-http/axios'
import { createClientInstrumentation } from '@otel-http/core'
import axios, { type AxiosAdapter, type AxiosRequestConfig } from 'axios'
import { Agent, type Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from 'undici'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { clientSpansOf, expectPropagated, type Tracing } from '../../../test/support/client-caller'
import { redirectUrl, useLoopbackServer } from '../../../test/support/loopback-server'
import { setupTracing } from '../../../test/support/tracing'
import { underParent } from '../../../test/support/under-parent'
import { chosenAdapter } from '../src/adapter-choice'
import { configsAtAdapter } from './configs-at-adapter'

type AdapterSetting = AxiosRequestConfig['adapter']
const fn = () => Promise.reject(new Error('not called'))

describe('chosenAdapter: the adapter axios picks, as its getAdapter does', () => {
  afterEach(() => vi.unstubAllGlobals())

  it.each<[string, unknown, ReturnType<typeof chosenAdapter>]>([
    ["axios's default list", ['xhr', 'http', 'fetch'], 'http'],
    ['http', 'http', 'http'],
    ['HTTP, any case', ['HTTP', 'fetch'], 'http'],
    ['null and false skipped', [null, false, 'http'], 'http'],
    ['fetch', 'fetch', 'fetch'],
    ['fetch first', ['fetch', 'http'], 'fetch'],
    ['xhr unavailable, then fetch', ['xhr', 'fetch'], 'fetch'],
    ['a function first', [fn, 'http'], fn],
    ['xhr unavailable, then a function', ['xhr', fn], fn],
    ['a function after http', ['http', fn], 'http'],
    ['a function', fn, fn],
    ['an empty list', [], undefined],
    ['not set', undefined, undefined],
    ['an unknown name', ['carrier-pigeon', 'http'], undefined],
  ])('%s', (_, setting, expected) => {
    expect(chosenAdapter(setting)).toBe(expected)
    // The same as axios's own choice.
    const own = expected === undefined ? undefined : axios.getAdapter(setting as AdapterSetting)
    if (expected === 'http' || expected === 'fetch') expect(own).toBe(axios.getAdapter(expected))
    else if (expected !== undefined) expect(own).toBe(expected)
  })

  it('answers xhr where XMLHttpRequest exists (axios picks it first)', () => {
    vi.stubGlobal('XMLHttpRequest', class {})
    expect(chosenAdapter(['xhr', 'http', 'fetch'])).toBe('xhr')
    expect(chosenAdapter(['http', 'xhr'])).toBe('http')
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

  // What an otel-http layer below the transport sees: whether the request is already traced, and the active span.
  const lower = createClientInstrumentation({}, { name: 'lower-layer' })
  type Probed = { traced: boolean; activeSpan: string | undefined }
  function probe(): Probed {
    const call = lower.start({ method: 'GET', url: () => new URL(server.origin), request: undefined })
    call?.end({})
    return { traced: call === undefined, activeSpan: trace.getActiveSpan()?.spanContext().spanId }
  }

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
    const seen: Probed[] = []
    const probing = (dispatch: Dispatcher['dispatch']): Dispatcher['dispatch'] =>
      function probeDispatch(options, handler) {
        seen.push(probe())
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

  // axios picks the function in each of these lists: it must run in the CLIENT span's context.
  it.each<[string, (custom: AxiosAdapter) => AdapterSetting]>([
    ['a function first', (custom) => [custom, 'http']],
    ['xhr (unavailable), then a function', (custom) => ['xhr', custom]],
  ])('runs a custom adapter in a list in the call context: %s', async (_, settingWith) => {
    const seen: Probed[] = []
    const http = axios.getAdapter('http')
    const custom: AxiosAdapter = (config) => {
      seen.push(probe())
      return http(config)
    }
    const setting = settingWith(custom)
    const given = [...(setting as unknown[])]
    const { api } = instance(setting)
    const { parent: caller } = await underParent(tracing.tracer, () => api.get('/custom-in-list'))
    const client = expectPropagated(server.requests[0]!, tracing, caller)
    expect(seen).toEqual([{ traced: true, activeSpan: client.spanContext().spanId }])
    // The caller's list, shared by every request of the instance, is as it was.
    expect(api.defaults.adapter).toEqual(given)
    expect(setting).toEqual(given)
  })
})
