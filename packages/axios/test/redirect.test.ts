import { instrumentAxios } from '@otel-http/axios'
import axios, { type AxiosRequestConfig, type AxiosResponse, isAxiosError } from 'axios'
import { describe, expect, it } from 'vitest'
import { clientSpansOf } from '../../../test/support/client-caller'
import { CHUNKED_BODY } from '../../../test/support/loopback-server'
import {
  expectPropagatedFromTheAllowedHop,
  expectRoundTripToThirdParty,
  useRedirectServers,
} from '../../../test/support/redirect-servers'
import { underParent } from '../../../test/support/under-parent'

const { tracing, servers } = useRedirectServers()

/** What a caller sees of an axios response or error: everything but timing and object identity. */
function view(outcome: AxiosResponse | unknown) {
  const response = isAxiosError(outcome) ? outcome.response : (outcome as AxiosResponse)
  return {
    error: isAxiosError(outcome) ? [outcome.code, outcome.message] : undefined,
    status: response?.status,
    contentType: response?.headers['content-type'],
    data: response?.data,
    // http adapter: follow-redirects' final URL and hop count.
    responseUrl: response?.request?.res?.responseUrl,
    redirects: response?.request?._redirectable?._redirectCount,
  }
}

describe.each(['http', 'fetch'] as const)('instrumentAxios following redirects (%s adapter)', (adapter) => {
  const create = () => axios.create({ adapter, responseType: 'text' })

  async function compare(url: string, config: AxiosRequestConfig = {}) {
    const settle = (p: Promise<AxiosResponse>) => p.then(view, view)
    const bare = await settle(create().request({ url, ...config }))
    servers.seen.length = 0
    const api = create()
    instrumentAxios(api, { propagateTo: [servers.first] })
    const { result, parent: caller } = await underParent(tracing.tracer, () =>
      settle(api.request({ url, ...config })),
    )
    return { bare, traced: result, caller, hops: [...servers.seen] }
  }

  it('sends no trace headers to a third party a 302 points to, and sends them again on a 307 back', async () => {
    const url = servers.hop(servers.first, 302, servers.hop(servers.third, 307, `${servers.first}/chunked`))
    const { bare, traced, caller, hops } = await compare(url)

    expect(traced).toEqual(bare)
    expect(traced).toMatchObject({ status: 200, data: CHUNKED_BODY })
    expectRoundTripToThirdParty(servers, hops, tracing, caller)
  })

  it('sends nothing to a first request outside propagateTo, and the trace headers to the allowed hop it leads to', async () => {
    const { bare, traced, caller, hops } = await compare(
      servers.hop(servers.third, 301, `${servers.first}/chunked`),
    )
    expect(traced).toEqual(bare)
    expectPropagatedFromTheAllowedHop(servers, hops, tracing, caller)
  })

  it('keeps a 303 turning a POST into a GET, and a status error, as they are', async () => {
    const url = servers.hop(servers.first, 303, `${servers.third}/status/404`)
    const { bare, traced, caller, hops } = await compare(url, { method: 'POST', data: 'payload' })
    expect(traced).toEqual(bare)
    expect(traced.error?.[0]).toBe('ERR_BAD_REQUEST')
    expect(hops.map((h) => [h.method, h.body])).toEqual([
      ['POST', 'payload'],
      ['GET', ''],
    ])
    expect(hops[1]).toMatchObject({ traceparent: [], baggage: [] })
    const [span] = clientSpansOf(tracing, caller)
    expect(span!.attributes).toMatchObject({
      'http.request.resend_count': 1,
      'http.response.status_code': 404,
    })
  })

  it("still calls the caller's own beforeRedirect, and keeps maxRedirects", async () => {
    const redirectedTo: string[] = []
    const url = servers.hop(servers.first, 302, `${servers.third}/chunked`)
    const { traced, hops } = await compare(url, {
      beforeRedirect: (options) => {
        redirectedTo.push(options.href)
      },
    })
    expect(traced.status).toBe(200)
    expect(hops[1]).toMatchObject({ traceparent: [], baggage: [] })
    if (adapter === 'http')
      expect(redirectedTo).toEqual([`${servers.third}/chunked`, `${servers.third}/chunked`])

    const limited = await compare(url, { maxRedirects: 0, validateStatus: () => true })
    expect(limited.traced).toEqual(limited.bare)
    expect(limited.traced.status).toBe(302)
  })

  it("checks the hops of a retry re-issued through the instance, calling the caller's hook once per hop", async () => {
    const api = create()
    instrumentAxios(api, { propagateTo: [servers.first] })
    const retryTo = servers.hop(servers.first, 302, `${servers.third}/chunked`)
    api.interceptors.response.use(undefined, (error) => {
      if (!isAxiosError(error) || !error.config || error.config.url === retryTo) throw error
      return api.request({ ...error.config, url: retryTo })
    })
    let hooked = 0
    const { result, parent: caller } = await underParent(tracing.tracer, () =>
      api.get(`${servers.first}/status/500`, { beforeRedirect: () => void hooked++ }),
    )
    expect(result.data).toBe(CHUNKED_BODY)
    expect(servers.seen.map((h) => [h.origin, h.traceparent.length, h.baggage.length])).toEqual([
      [servers.first, 1, 1],
      [servers.first, 1, 1],
      [servers.third, 0, 0],
    ])
    if (adapter === 'http') expect(hooked).toBe(1)
    const spans = clientSpansOf(tracing, caller)
    expect(spans.map((s) => s.attributes['http.request.resend_count'])).toEqual([undefined, 1])
  })
})
