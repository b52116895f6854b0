import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the server saw of one request: every value of each W3C header, as sent on the wire. */
export interface WireRequest {
  method: string
  url: string
  traceparent: string[]
  tracestate: string[]
  baggage: string[]
  /** Every other header, as Node joins them. */
  headers: Record<string, string | string[] | undefined>
  body: string
}

// rawHeaders keeps repeats and original case, so a duplicated traceparent cannot hide in a joined value.
function valuesOf(req: IncomingMessage, name: string): string[] {
  const values: string[] = []
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.toLowerCase() === name) values.push(req.rawHeaders[i + 1]!)
  }
  return values
}

/**
 * A loopback node:http server that answers with what it received as JSON. `/status/404`
 * answers with that status; `/hang` never answers (for abort and timeout tests).
 */
export async function startEchoServer() {
  const requests: WireRequest[] = []
  const arrivals: Array<(request: WireRequest) => void> = []
  const server: Server = createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    const wire: WireRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      traceparent: valuesOf(req, 'traceparent'),
      tracestate: valuesOf(req, 'tracestate'),
      baggage: valuesOf(req, 'baggage'),
      headers: req.headers,
      body,
    }
    requests.push(wire)
    for (const arrived of arrivals.splice(0)) arrived(wire)
    if (req.url === '/hang') return
    const status = /^\/status\/(\d{3})$/.exec(req.url ?? '')?.[1]
    res.writeHead(status ? Number(status) : 200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(wire))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    requests,
    /** Resolves when the next request has been received in full. */
    nextRequest: () => new Promise<WireRequest>((resolve) => arrivals.push(resolve)),
    close: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

/** A loopback address where nothing listens: a server is started and closed to free a port. */
export async function refusedOrigin(): Promise<string> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return `http://127.0.0.1:${port}`
}
