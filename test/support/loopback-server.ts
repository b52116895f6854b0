import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll } from 'vitest'

/** What the server saw of one request. */
export interface WireRequest {
  /** The origin of the server that received it (servers can share one log). */
  origin: string
  method: string
  url: string
  /** Every value of each W3C header as sent on the wire (a header sent twice shows as two). */
  traceparent: string[]
  tracestate: string[]
  baggage: string[]
  /** Every header, as Node joins them. */
  headers: IncomingHttpHeaders
  /** Name/value pairs as they arrived, in their original case and with repeats. */
  rawHeaders: string[]
  body: string
}

export type LoopbackServer = Awaited<ReturnType<typeof startLoopbackServer>>

/** Values of every occurrence of `name` (any case) in a raw header list. */
export function rawValues(rawHeaders: string[], name: string): string[] {
  const values: string[] = []
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === name) values.push(rawHeaders[i + 1]!)
  }
  return values
}

/** What `/chunked` answers: many chunks, so a client that buffered or cut a body would show. */
export const CHUNKED_BODY = Array.from({ length: 64 }, (_, i) => `chunk ${i} `.repeat(64)).join('\n')

/** A URL on `from` that answers `status` (a 3xx) with `Location: to`. */
export const redirectUrl = (from: string, status: number, to: string): string =>
  `${from}/redirect/${status}?to=${encodeURIComponent(to)}`

/** The body the server answers `request` with: the request itself, as JSON. */
export const echoOf = (request: WireRequest): string => JSON.stringify(request)

/**
 * A real node:http server on 127.0.0.1, port 0, that records every request (headers raw and
 * joined, body) in `requests` (or in the log it is given, to share one between servers) and
 * answers with it as JSON (`echoOf`), with an `x-server: loopback` header.
 * `/status/NNN` answers NNN; `/hang…` never answers; `/partial` sends its headers and one chunk,
 * then stalls until `releasePartial()`; `/redirect/3NN?to=URL` answers 3NN to URL (`redirectUrl`); `/chunked` answers
 * `CHUNKED_BODY` in chunks, the same for every request.
 */
export async function startLoopbackServer({ requests = [] as WireRequest[] } = {}) {
  const arrivals: Array<(request: WireRequest) => void> = []
  const open = new Set<ServerResponse>()
  const server = createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    const url = req.url ?? ''
    const wire: WireRequest = {
      origin,
      method: req.method ?? '',
      url,
      traceparent: rawValues(req.rawHeaders, 'traceparent'),
      tracestate: rawValues(req.rawHeaders, 'tracestate'),
      baggage: rawValues(req.rawHeaders, 'baggage'),
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body,
    }
    requests.push(wire)
    for (const arrived of arrivals.splice(0)) arrived(wire)
    if (url.startsWith('/hang') || url === '/partial') {
      // Kept open until close() (or releasePartial()): /partial after its headers and a first chunk.
      if (url === '/partial') {
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.write('part')
      }
      open.add(res)
      return
    }
    const redirect = /^\/redirect\/(3\d\d)\?to=(.*)$/.exec(url)
    if (redirect) {
      res.writeHead(Number(redirect[1]), { location: decodeURIComponent(redirect[2]!) })
      res.end()
      return
    }
    if (url === '/chunked') {
      res.writeHead(200, { 'content-type': 'text/plain' })
      const chunks = CHUNKED_BODY.split('\n')
      for (const [i, chunk] of chunks.entries()) res.write(i < chunks.length - 1 ? `${chunk}\n` : chunk)
      res.end()
      return
    }
    const status = /^\/status\/(\d{3})/.exec(url)?.[1]
    res.writeHead(status ? Number(status) : 200, {
      'content-type': 'application/json',
      'x-server': 'loopback',
    })
    res.end(echoOf(wire))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  return {
    origin,
    port,
    requests,
    /** The recorded request whose URL is `path`. */
    request: (path: string) => requests.find((r) => r.url === path),
    /** Resolves when the next request has been received in full. */
    nextRequest: () => new Promise<WireRequest>((resolve) => arrivals.push(resolve)),
    /** Ends every `/partial` body sent so far. */
    releasePartial() {
      for (const res of open) {
        if (!res.headersSent) continue
        open.delete(res)
        res.end('ial')
      }
    },
    async close() {
      for (const res of open) res.destroy()
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

/**
 * Starts a `startLoopbackServer` before the file's tests and closes it after them. Tests read it
 * as they would the server itself; `close`, if given, runs just before the server closes, for
 * whatever else the file shares with it (an undici Agent).
 *
 * @example
 * const server = useLoopbackServer()
 * it('answers', async () => expect((await fetch(server.origin)).status).toBe(200))
 */
export function useLoopbackServer(close?: () => Promise<unknown>): LoopbackServer {
  let server: LoopbackServer | undefined
  beforeAll(async () => {
    server = await startLoopbackServer()
  })
  afterAll(async () => {
    await close?.()
    await server?.close()
  })
  // The server only exists once beforeAll has run; a Proxy lets the file hold it from the start.
  return new Proxy({} as LoopbackServer, {
    get(_, key) {
      if (!server) throw new Error('useLoopbackServer: the server starts in beforeAll, read it in a test')
      return Reflect.get(server, key)
    },
  })
}

/** A loopback port where nothing listens: bound once, then released. */
export async function refusedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return port
}

/** A loopback origin where nothing listens (see `refusedPort`). */
export const refusedOrigin = async (): Promise<string> => `http://127.0.0.1:${await refusedPort()}`
