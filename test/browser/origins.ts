import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request as it arrived on the wire. */
export interface Received {
  method: string
  path: string
  headers: IncomingHttpHeaders
}

export interface Origin {
  /** `http://127.0.0.1:<port>` */
  url: string
  received: Received[]
  close(): Promise<void>
}

/**
 * What an origin answers, besides recording every request:
 * - `page`: serves the page (`/` and `/page.js`); the other two are cross-origin to it.
 * - `allowing`: its CORS preflight allows `traceparent`, `tracestate` and `baggage`.
 * - `strict`: allows the page's simple requests but no extra request header, so a preflight for
 *   trace headers fails, as on an API whose CORS list predates tracing.
 */
export type OriginKind = 'page' | 'allowing' | 'strict'

export async function startOrigin(
  kind: OriginKind,
  pageOrigin: () => string,
  assets: Record<string, { type: string; body: string }> = {},
): Promise<Origin> {
  const received: Received[] = []
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/'
    received.push({ method: req.method ?? '', path, headers: req.headers })
    const asset = kind === 'page' ? assets[path] : undefined
    if (asset) {
      res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store' })
      res.end(asset.body)
      return
    }
    const cors: Record<string, string> =
      kind === 'page' ? {} : { 'access-control-allow-origin': pageOrigin(), vary: 'origin' }
    if (req.method === 'OPTIONS') {
      if (kind === 'allowing') {
        cors['access-control-allow-methods'] = 'GET, POST'
        cors['access-control-allow-headers'] = 'traceparent, tracestate, baggage'
      }
      res.writeHead(204, cors)
      res.end()
      return
    }
    res.writeHead(200, { ...cors, 'content-type': 'application/json' })
    res.end(JSON.stringify({ path }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
