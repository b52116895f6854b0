import type { Span } from '@opentelemetry/api'
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import { clientSpansOf, type Tracing } from './client-caller'
import { redirectUrl, startLoopbackServer, type WireRequest } from './loopback-server'
import { setupTracing } from './tracing'

/**
 * Two loopback servers (see `startLoopbackServer`), `first` and `third` (another port, so another
 * origin: the third party), sharing one log of the requests both received.
 */
export async function startRedirectServers() {
  const seen: WireRequest[] = []
  const servers = await Promise.all([
    startLoopbackServer({ requests: seen }),
    startLoopbackServer({ requests: seen }),
  ])
  return {
    first: servers[0].origin,
    third: servers[1].origin,
    seen,
    hop: redirectUrl,
    close: async () => {
      await Promise.all(servers.map((server) => server.close()))
    },
  }
}

type RedirectServers = Awaited<ReturnType<typeof startRedirectServers>>

/**
 * The setup of a redirect test file: the tracing SDK and `startRedirectServers`, started before
 * the file's tests and closed after them; spans and the request log are cleared before each test.
 *
 * @example
 * const { tracing, servers } = useRedirectServers()
 * it('follows', async () => expect((await fetch(servers.hop(servers.first, 302, servers.third))).ok).toBe(true))
 */
export function useRedirectServers() {
  const tracing = setupTracing()
  let current: RedirectServers | undefined
  beforeAll(async () => {
    current = await startRedirectServers()
  })
  afterAll(() => current?.close())
  beforeEach(() => {
    tracing.reset()
    current!.seen.length = 0
  })
  // The servers only exist once beforeAll has run; a Proxy lets the file hold them from the start.
  const servers = new Proxy({} as RedirectServers, {
    get(_, key) {
      if (!current) throw new Error('useRedirectServers: the servers start in beforeAll, read them in a test')
      return Reflect.get(current, key)
    },
  })
  return { tracing, servers }
}

/**
 * The hops of `first` → 302 → `third` → 307 → `first`: the first request and the hop back carry
 * the same trace headers and the caller's baggage; the third party gets none of them.
 */
export function expectThirdPartySkipped(
  servers: { first: string; third: string },
  [first, third, back, ...rest]: WireRequest[],
): void {
  expect([first?.origin, third?.origin, back?.origin, rest.length]).toEqual([
    servers.first,
    servers.third,
    servers.first,
    0,
  ])
  expect(first!.traceparent).toHaveLength(1)
  expect(first!.baggage).toEqual(['user_id=alice'])
  expect(third).toMatchObject({ traceparent: [], tracestate: [], baggage: [] })
  expect(back).toMatchObject({
    traceparent: first!.traceparent,
    tracestate: first!.tracestate,
    baggage: first!.baggage,
  })
}

/**
 * After `first` → 302 → `third` → 307 → `first`: the hops as `expectThirdPartySkipped` wants them,
 * and one client span under `caller`, counting two resends and ending in a 200.
 *
 * @example
 * expectRoundTripToThirdParty(servers, hops, tracing, caller)
 */
export function expectRoundTripToThirdParty(
  servers: { first: string; third: string },
  hops: WireRequest[],
  tracing: Tracing,
  caller: Span,
): void {
  expectThirdPartySkipped(servers, hops)
  const spans = clientSpansOf(tracing, caller)
  expect(spans).toHaveLength(1)
  expect(spans[0]!.attributes).toMatchObject({
    'http.request.resend_count': 2,
    'http.response.status_code': 200,
  })
}

/**
 * After `third` → 301 → `first`, with only `first` in propagateTo: nothing went to the third
 * party, the hop to `first` carried the caller's baggage and a traceparent from the client span,
 * which counts one resend.
 *
 * @example
 * expectPropagatedFromTheAllowedHop(servers, hops, tracing, caller)
 */
export function expectPropagatedFromTheAllowedHop(
  servers: { first: string; third: string },
  hops: WireRequest[],
  tracing: Tracing,
  caller: Span,
): void {
  expect(hops[0]).toMatchObject({ origin: servers.third, traceparent: [], baggage: [] })
  expect(hops[1]!.origin).toBe(servers.first)
  expect(hops[1]!.baggage).toEqual(['user_id=alice'])
  const [span] = clientSpansOf(tracing, caller)
  expect(hops[1]!.traceparent[0]).toContain(span!.spanContext().spanId)
  expect(span!.attributes['http.request.resend_count']).toBe(1)
}
