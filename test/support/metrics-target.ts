import { once } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * The loopback server the client metrics tests call: `/status/NNN` answers NNN; `/partial` sends
 * its headers and a first chunk and ends the body only on `releasePartial()`; `/hang` never
 * answers (`hanging()` resolves once such a request has arrived); anything else is 200 "ok".
 */
export async function startMetricsTarget() {
  const held = new Set<ServerResponse>()
  let arrived: (() => void) | undefined
  const server = createServer((req, res) => {
    req.resume()
    if (req.url === '/hang') {
      held.add(res)
      arrived?.()
      return
    }
    if (req.url === '/partial') {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.write('part')
      held.add(res)
      return
    }
    const status = /^\/status\/(\d{3})$/.exec(req.url ?? '')
    res.writeHead(status ? Number(status[1]) : 200, { 'content-type': 'text/plain' })
    res.end('ok')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    /** Resolves when the next `/hang` request has arrived. */
    hanging: () =>
      new Promise<void>((resolve) => {
        arrived = resolve
      }),
    /** Ends every `/partial` body sent so far. */
    releasePartial() {
      for (const res of held) {
        if (!res.headersSent) continue
        held.delete(res)
        res.end('ial')
      }
    },
    async close() {
      for (const res of held) res.destroy()
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

/** A port nothing listens on: bound once, then released. */
export async function refusedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return port
}
