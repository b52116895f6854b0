// One traced round trip in whatever runtime runs this file (Bun, Deno): a caller span with
// baggage calls a `traceFetchHandler` server, served by the runtime's own HTTP server, through
// `tracedFetch`. Uses the built ESM packages, as users of those runtimes install them. Prints
// one JSON object: the spans and what the handler saw.
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

function serve() {
  if (globalThis.Bun) {
    const server = globalThis.Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handler })
    return { port: server.port, close: () => server.stop(true) }
  }
  if (globalThis.Deno) {
    const server = globalThis.Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, handler)
    return { port: server.addr.port, close: () => server.shutdown() }
  }
  throw new Error('run this with bun or deno')
}

const server = serve()
const fetch = tracedFetch()
const baggage = propagation.createBaggage({ user_id: { value: 'alice' } })
const caller = tracer.startSpan('caller')
const callerContext = propagation.setBaggage(trace.setSpan(context.active(), caller), baggage)
const status = await context.with(callerContext, async () => {
  const response = await fetch(`http://127.0.0.1:${server.port}/hello`)
  await response.text()
  return response.status
})
caller.end()
await server.close()
await provider.forceFlush()

const spans = exporter.getFinishedSpans().map((span) => ({
  name: span.name,
  kind: span.kind,
  traceId: span.spanContext().traceId,
  spanId: span.spanContext().spanId,
  parentSpanId: span.parentSpanContext?.spanId ?? null,
}))
console.log(JSON.stringify({ status, seen, spans }))
