// The round trip of round-trip.mjs inside workerd, Cloudflare Workers' runtime. workers.test.ts
// bundles this file with the built ESM packages and runs it as two Workers, 'caller' and
// 'server', joined by a service binding: two isolates, so nothing but the request's headers can
// carry the context from one to the other.
// - caller `/start`: a caller span with baggage calls the server Worker through `tracedFetch`,
//   then answers one JSON object like round-trip.mjs prints: its spans, the server's, and what
//   the handler saw.
// - server, any other path: `traceFetchHandler`, given the Worker's `env` and `ctx`.
// - server `/report`: what the handler saw and the server's spans, untraced.
import { context } from '@opentelemetry/api'
import { tracedFetch } from '../../packages/fetch/dist/index.js'
import { callerContext, finishedSpans, handler, provider, seen } from './traced-app.mjs'

async function start(server) {
  // A service binding's `fetch` must be called on the binding.
  const fetch = tracedFetch((input, init) => server.fetch(input, init))
  const caller = callerContext()
  const status = await context.with(caller.context, async () => {
    const response = await fetch('http://server/hello')
    await response.text()
    return response.status
  })
  caller.span.end()
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
