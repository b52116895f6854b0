import type { Server } from 'node:http'
import { serveRequests } from './ipc'

/**
 * Listens on a loopback port and answers run.ts: `reset` starts a segment (flushing spans of the
 * warm-up first), `read` returns what arrived since, with the server's CPU for exactly that
 * segment. Requests are counted by a listener put before the app's, so every app is counted alike.
 */
export function serveCounted(server: Server, exportedSpans?: () => Promise<number>): void {
  const counts = { requests: 0, traceparent: 0, baggage: 0 }
  server.prependListener('request', (req) => {
    counts.requests++
    if (req.headers.traceparent !== undefined) counts.traceparent++
    if (req.headers.baggage !== undefined) counts.baggage++
  })
  server.listen(0, '127.0.0.1', () => {
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    let cpuBefore = process.cpuUsage()
    serveRequests(
      async (message) => {
        if (message.type === 'reset') {
          await exportedSpans?.()
          counts.requests = counts.traceparent = counts.baggage = 0
          cpuBefore = process.cpuUsage()
          return null
        }
        const cpu = process.cpuUsage(cpuBefore)
        const spans = (await exportedSpans?.()) ?? 0
        return { ...counts, spans, cpuMicros: cpu.user + cpu.system }
      },
      { port },
    )
  })
}
