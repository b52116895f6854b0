import { expect } from 'vitest'
import { redirectUrl, startLoopbackServer, type WireRequest } from './loopback-server'

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
