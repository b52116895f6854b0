// The round trip of round-trip.mjs inside workerd, Cloudflare Workers' runtime. workers.test.ts
// bundles this file with the built ESM packages and runs it as two Workers, 'caller' and
// 'server', joined by a service binding: two isolates, so nothing but the request's headers can
// carry the context from one to the other.
// - caller `/start`: a caller span with baggage calls the server Worker through `tracedFetch`,
//   then answers one JSON object like round-trip.mjs prints: its spans, the server's, and what
//   the handler saw.
// - server, any other path: `traceFetchHandler`, given the Worker's `env` and `ctx`.
// - server `/report`: what the handler saw and the server's spans, untraced.
import { context, propagation, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { w3cPropagator } from '../../packages/core/dist/index.js'
import { tracedFetch } from '../../packages/fetch/dist/index.js'
import { traceFetchHandler } from '../../packages/server/dist/index.js'

const exporter = new InMemorySpanExporter()
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
propagation.setGlobalPropagator(w3cPropagator())
trace.setGlobalTracerProvider(provider)
const tracer = trace.getTracer('round-trip')

const seen = {}
const handler = traceFetchHandler(async (request) => {
  seen.traceparent = request.headers.get('traceparent')
  seen.userId = propagation.getBaggage(context.active())?.getEntry('user_id')?.value ?? null
  seen.activeSpanId = trace.getActiveSpan()?.spanContext().spanId ?? null
  // Something the handler awaits still runs in the request's context.
  await new Promise((resolve) => setTimeout(resolve, 5))
  seen.afterAwaitSpanId = trace.getActiveSpan()?.spanContext().spanId ?? null
  return new Response('ok')
})

const finishedSpans = () =>
  exporter.getFinishedSpans().map((span) => ({
    name: span.name,
    kind: span.kind,
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? null,
  }))

async function start(server) {
  // A service binding's `fetch` must be called on the binding.
  const fetch = tracedFetch((input, init) => server.fetch(input, init))
  const baggage = propagation.createBaggage({ user_id: { value: 'alice' } })
  const caller = tracer.startSpan('caller')
  const callerContext = propagation.setBaggage(trace.setSpan(context.active(), caller), baggage)
  const status = await context.with(callerContext, async () => {
    const response = await fetch('http://server/hello')
    await response.text()
    return response.status
  })
  caller.end()
  await provider.forceFlush()

  const report = await (await server.fetch('http://server/report')).json()
  return Response.json({ status, seen: report.seen, spans: [...finishedSpans(), ...report.spans] })
}

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url)
    if (pathname === '/start') return start(env.SERVER)
    // InMemorySpanExporter stored the SERVER span when it ended, before `/hello` answered.
    if (pathname === '/report') return Response.json({ seen, spans: finishedSpans() })
    const response = await handler(request, env, ctx)
    // As any Worker must: once a request has answered, its timers (InMemorySpanExporter reports
    // an export done on one) only run while `waitUntil` waits; without it that export never
    // settles and a later forceFlush hangs.
    ctx.waitUntil(provider.forceFlush())
    return response
  },
}
