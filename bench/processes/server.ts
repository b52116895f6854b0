/**
 * The loopback server process: `server.ts <bare|manual|traced> <propagator>`. `traced` wraps the
 * same listener in `traceRequestListener` with the benchmark's SDK registered; `manual` registers
 * the same SDK and does by hand the least any server instrumentation does (extract, a SERVER span
 * ended on close, the handler run in its context): the floor the SDK itself sets. Counts what arrives,
 * so run.ts can check each variant really sent (or did not send) trace headers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api'
import { traceRequestListener } from '@otel-http/server'
import { serveRequests } from '../lib/ipc'
import { type PropagatorChoice, setupSdk } from '../lib/sdk'

const [mode, propagator] = process.argv.slice(2) as ['bare' | 'manual' | 'traced', PropagatorChoice]

const sdk = mode === 'bare' ? undefined : setupSdk(propagator)
const counts = { requests: 0, traceparent: 0, baggage: 0 }
const body = Buffer.from('{"id":42,"name":"widget"}')

function listener(req: IncomingMessage, res: ServerResponse): void {
  counts.requests++
  if (req.headers.traceparent !== undefined) counts.traceparent++
  if (req.headers.baggage !== undefined) counts.baggage++
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
  res.end(body)
}

function byHand(inner: typeof listener): typeof listener {
  const tracer = trace.getTracer('bench-by-hand')
  return (req, res) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers)
    const span = tracer.startSpan(
      req.method ?? 'GET',
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.url } },
      parent,
    )
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode)
      span.end()
    })
    context.with(trace.setSpan(parent, span), inner, undefined, req, res)
  }
}

const listeners = { bare: listener, manual: byHand(listener), traced: traceRequestListener(listener) }
const server = createServer({ keepAliveTimeout: 60_000 }, listeners[mode])
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
