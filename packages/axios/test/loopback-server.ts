import { once } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { WireHeaders } from '../../../test/support/client-caller'

/** One request as it arrived, with its raw header pairs (so a header sent twice is visible). */
export interface SeenRequest {
  url: string
  wire: WireHeaders
}

const wireOf = (rawHeaders: string[]): WireHeaders => {
  const wire: WireHeaders = { traceparent: [], tracestate: [], baggage: [] }
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase()
    if (name === 'traceparent' || name === 'tracestate' || name === 'baggage')
      wire[name].push(rawHeaders[i + 1]!)
  }
  return wire
}

/**
 * A real node:http server on 127.0.0.1, port 0. `/status/NNN` answers NNN; `/hang` never answers
 * (and calls `onHang`, so a test can abort once the request has arrived); anything else is 200.
 */
export async function startLoopbackServer() {
  const seen: SeenRequest[] = []
  const hanging = new Set<ServerResponse>()
  let onHang: (() => void) | undefined
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', wire: wireOf(req.rawHeaders) })
    if (req.url?.startsWith('/hang')) {
      hanging.add(res)
      onHang?.()
      return
    }
    const status = /^\/status\/(\d{3})/.exec(req.url ?? '')
    res.writeHead(status ? Number(status[1]) : 200, { 'content-type': 'text/plain' })
    res.end('ok')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    /** The next request to `/hang` calls `fn` once it has arrived. */
    whenHanging(fn: () => void) {
      onHang = fn
    },
    async close() {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}
