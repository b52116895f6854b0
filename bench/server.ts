/**
 * The loopback server process: `server.ts <bare|traced> <propagator>`. `traced` wraps the same
 * listener in `traceRequestListener` with the benchmark's SDK registered. Counts what arrives,
 * so run.ts can check each variant really sent (or did not send) trace headers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { traceRequestListener } from '@otel-http/server'
import { serveRequests } from './processes'
import { type PropagatorChoice, setupSdk } from './sdk'

const [mode, propagator] = process.argv.slice(2) as ['bare' | 'traced', PropagatorChoice]

const sdk = mode === 'traced' ? setupSdk(propagator) : undefined
const counts = { requests: 0, traceparent: 0, baggage: 0 }
const body = Buffer.from('{"id":42,"name":"widget"}')

function listener(req: IncomingMessage, res: ServerResponse): void {
  counts.requests++
  if (req.headers.traceparent !== undefined) counts.traceparent++
  if (req.headers.baggage !== undefined) counts.baggage++
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
  res.end(body)
}

const server = createServer(
  { keepAliveTimeout: 60_000 },
  mode === 'traced' ? traceRequestListener(listener) : listener,
)
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  let cpuBefore = process.cpuUsage()

  serveRequests(
    async (message) => {
      if (message.type === 'reset') {
        await sdk?.exportedSpans()
        counts.requests = counts.traceparent = counts.baggage = 0
        cpuBefore = process.cpuUsage()
        return null
      }
      const cpu = process.cpuUsage(cpuBefore)
      const spans = (await sdk?.exportedSpans()) ?? 0
      return { ...counts, spans, cpuMicros: cpu.user + cpu.system }
    },
    { port },
  )
})
