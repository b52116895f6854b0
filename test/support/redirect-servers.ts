import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect } from 'vitest'

/** What one server saw of one request. */
export interface HopRequest {
  origin: string
  method: string
  path: string
  traceparent: string[]
  tracestate: string[]
  baggage: string[]
  body: string
}

const valuesOf = (req: IncomingMessage, name: string): string[] => {
  const values: string[] = []
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.toLowerCase() === name) values.push(req.rawHeaders[i + 1]!)
  }
  return values
}

/** The final answer's body: several chunks, so a client that buffered or cut it would show. */
export const FINAL_BODY = Array.from({ length: 64 }, (_, i) => `chunk ${i} `.repeat(64)).join('\n')

/**
 * Two loopback origins on 127.0.0.1, `first` and `third` (another port, so another origin: the
 * third party), sharing one log of the requests both received. Both answer:
 * - `/hop/<status>?to=<url>`: that 3xx status with `Location: <url>`;
 * - `/final`: 200 with {@link FINAL_BODY}, written in chunks;
 * - `/status/<code>`: that status, empty body.
 */
export async function startRedirectServers() {
  const seen: HopRequest[] = []
  const servers: Server[] = []
  async function listen(): Promise<string> {
    const server = createServer(async (req, res) => {
      let body = ''
      for await (const chunk of req) body += chunk
      const url = new URL(req.url ?? '/', 'http://placeholder')
      seen.push({
        origin: originOf(server),
        method: req.method ?? '',
        path: url.pathname,
        traceparent: valuesOf(req, 'traceparent'),
        tracestate: valuesOf(req, 'tracestate'),
        baggage: valuesOf(req, 'baggage'),
        body,
      })
      const hop = /^\/hop\/(3\d\d)$/.exec(url.pathname)
      if (hop) {
        res.writeHead(Number(hop[1]), { location: url.searchParams.get('to') ?? '/final' })
        res.end()
        return
      }
      const status = /^\/status\/(\d{3})$/.exec(url.pathname)
      if (status) {
        res.writeHead(Number(status[1]))
        res.end()
        return
      }
      res.writeHead(200, { 'content-type': 'text/plain' })
      const chunks = FINAL_BODY.split('\n')
      for (const [i, chunk] of chunks.entries()) res.write(i < chunks.length - 1 ? `${chunk}\n` : chunk)
      res.end()
    })
    servers.push(server)
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    return originOf(server)
  }
  const first = await listen()
  const third = await listen()
  return {
    first,
    third,
    seen,
    /** A URL on `from` that redirects with `status` to `to`. */
    hop: (from: string, status: number, to: string) => `${from}/hop/${status}?to=${encodeURIComponent(to)}`,
    close: async () => {
      for (const server of servers) server.closeAllConnections()
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
    },
  }
}

const originOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`

/**
 * The hops of `first` → 302 → `third` → 307 → `first`: the first request and the hop back carry
 * the same trace headers and the caller's baggage; the third party gets none of them.
 */
export function expectThirdPartySkipped(
  servers: { first: string; third: string },
  [first, third, back, ...rest]: HopRequest[],
): void {
  expect([first?.origin, third?.origin, back?.origin, rest.length]).toEqual([
    servers.first,
    servers.third,
    servers.first,
    0,
  ])
  expect(first!.traceparent).toHaveLength(1)
  expect(first!.baggage).toEqual(['user.id=alice'])
  expect(third).toMatchObject({ traceparent: [], tracestate: [], baggage: [] })
  expect(back).toMatchObject({
    traceparent: first!.traceparent,
    tracestate: first!.tracestate,
    baggage: first!.baggage,
  })
}
