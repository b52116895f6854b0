import { tracedFetch } from '@otel-http/fetch'
import { Agent, type Dispatcher, MockAgent, Request as UndiciRequest, fetch as undiciFetch } from 'undici'
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

type AnyFetch = (
  input: string | Request,
  init?: RequestInit & { dispatcher?: Dispatcher },
) => Promise<Response>

/** An Agent that records the origin of every dispatch it carries. */
function recordingDispatcher() {
  const dispatched: string[] = []
  const recording: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
    dispatched.push(String(opts.origin))
    return dispatch(opts, handler)
  }
  return { dispatcher: new Agent().compose(recording), dispatched }
}

/** What a caller sees of a response: everything but timing. */
async function view(response: Response) {
  return {
    status: response.status,
    redirected: response.redirected,
    url: response.url,
    contentType: response.headers.get('content-type'),
    body: await response.text(),
  }
}

/** The caller's view of `url` with and without tracedFetch, and what each server saw traced. */
async function compare(impl: AnyFetch, url: string, init?: RequestInit & { dispatcher?: Dispatcher }) {
  const bare = await view(await impl(url, init))
  servers.seen.length = 0
  const fetch = tracedFetch(impl as typeof globalThis.fetch, { propagateTo: [servers.first] })
  const { result, parent: caller } = await underParent(tracing.tracer, async () =>
    view(await fetch(url, init)),
  )
  return { bare, traced: result, caller, hops: [...servers.seen] }
}

describe.each<[string, AnyFetch, typeof Request]>([
  ['Node global fetch', globalThis.fetch as AnyFetch, globalThis.Request],
  ['undici.fetch', undiciFetch as unknown as AnyFetch, UndiciRequest as unknown as typeof Request],
])('tracedFetch(%s) following redirects', (_, impl, RequestClass) => {
  it('sends no trace headers to a third party a 302 points to, and sends them again on a 307 back', async () => {
    const url = servers.hop(servers.first, 302, servers.hop(servers.third, 307, `${servers.first}/chunked`))
    const { bare, traced, caller, hops } = await compare(impl, url)

    expect(traced).toEqual(bare)
    expect(traced).toMatchObject({ redirected: true, url: `${servers.first}/chunked`, body: CHUNKED_BODY })
    expectRoundTripToThirdParty(servers, hops, tracing, caller)
  })

  it('sends nothing to a first request outside propagateTo, and the trace headers to the allowed hop it leads to', async () => {
    const url = servers.hop(servers.third, 301, `${servers.first}/chunked`)
    const { bare, traced, caller, hops } = await compare(impl, url)

    expect(traced).toEqual(bare)
    expectPropagatedFromTheAllowedHop(servers, hops, tracing, caller)
  })

  it('keeps a 303 turning a POST into a GET, and records no resend without a redirect', async () => {
    const init = { method: 'POST', body: 'payload' }
    const { bare, traced, hops } = await compare(
      impl,
      servers.hop(servers.first, 303, `${servers.third}/chunked`),
      init,
    )
    expect(traced).toEqual(bare)
    expect(hops.map((h) => [h.method, h.body])).toEqual([
      ['POST', 'payload'],
      ['GET', ''],
    ])
    expect(hops[1]).toMatchObject({ traceparent: [], baggage: [] })

    tracing.reset()
    const { parent: caller } = await underParent(tracing.tracer, () =>
      tracedFetch(impl as typeof fetch, { propagateTo: [servers.first] })(`${servers.first}/chunked`),
    )
    expect(clientSpansOf(tracing, caller)[0]!.attributes).not.toHaveProperty('http.request.resend_count')
  })

  it('rejects as the bare fetch does when redirects are refused or exhausted', async () => {
    const url = servers.hop(servers.first, 302, `${servers.third}/chunked`)
    const fetch = tracedFetch(impl as typeof globalThis.fetch, { propagateTo: [servers.first] })
    const bareError = await impl(url, { redirect: 'error' }).catch((error: Error) => error)
    const tracedError = await fetch(url, { redirect: 'error' }).catch((error: Error) => error)
    expect(tracedError).toBeInstanceOf(TypeError)
    expect(String(tracedError)).toBe(String(bareError))

    const manual = await fetch(url, { redirect: 'manual' })
    expect(manual.status).toBe(302)
    expect(servers.seen.filter((h) => h.origin === servers.third)).toHaveLength(0)
  })

  it("checks every hop on the caller's own dispatcher, which still carries every hop", async () => {
    const { dispatcher, dispatched } = recordingDispatcher()
    const url = servers.hop(servers.first, 307, `${servers.third}/chunked`)
    const { bare, traced, hops } = await compare(impl, url, { dispatcher })
    expect(traced).toEqual(bare)
    expect(dispatched).toEqual([servers.first, servers.third, servers.first, servers.third])
    expect(hops[1]).toMatchObject({ origin: servers.third, traceparent: [], baggage: [] })
  })

  it('checks hops with spans: false too', async () => {
    const fetch = tracedFetch(impl as typeof globalThis.fetch, { spans: false, propagateTo: [servers.first] })
    await underParent(tracing.tracer, () =>
      fetch(servers.hop(servers.first, 302, `${servers.third}/chunked`)),
    )
    expect(servers.seen[0]!.traceparent).toHaveLength(1)
    expect(servers.seen[1]).toMatchObject({ origin: servers.third, traceparent: [], baggage: [] })
  })

  it("gives a MockAgent the request body as it does without tracedFetch (fetch reads the dispatcher's isMockActive)", async () => {
    const mock = new MockAgent()
    mock.disableNetConnect()
    mock
      .get('http://api.test')
      .intercept({ path: '/items', method: 'POST', body: 'payload' })
      .reply(201, 'made')
    const fetch = tracedFetch(impl as typeof globalThis.fetch)
    const init = { method: 'POST', body: 'payload', dispatcher: mock } as RequestInit
    const { result, parent } = await underParent(tracing.tracer, async () => {
      const response = await fetch('http://api.test/items', init)
      return { status: response.status, body: await response.text() }
    })
    expect(result).toEqual({ status: 201, body: 'made' })
    const [span] = clientSpansOf(tracing, parent)
    expect(span?.attributes['http.response.status_code']).toBe(201)
    await mock.close()
  })

  it("leaves a Request's own dispatcher in charge (it cannot be read, so its hops are not checked)", async () => {
    const { dispatcher, dispatched } = recordingDispatcher()
    const url = servers.hop(servers.first, 302, `${servers.first}/chunked`)
    const request = new RequestClass(url, { dispatcher } as RequestInit)
    const fetch = tracedFetch(impl as typeof globalThis.fetch, { propagateTo: [servers.first] })
    const response = await underParent(tracing.tracer, () => fetch(request))
    expect(await response.result.text()).toBe(CHUNKED_BODY)
    expect(dispatched).toEqual([servers.first, servers.first])
  })
})
