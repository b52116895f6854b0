// One traced round trip in whatever runtime runs this file (Bun, Deno): a caller span with
// baggage calls a `traceFetchHandler` server, served by the runtime's own HTTP server, through
// `tracedFetch`. Uses the built ESM packages, as users of those runtimes install them. Prints
// one JSON object: the spans and what the handler saw.
import { context } from '@opentelemetry/api'
import { tracedFetch } from '../../packages/fetch/dist/index.js'
import { callerContext, finishedSpans, handler, provider, seen } from './traced-app.mjs'

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
const caller = callerContext()
const status = await context.with(caller.context, async () => {
  const response = await fetch(`http://127.0.0.1:${server.port}/hello`)
  await response.text()
  return response.status
})
caller.span.end()
await server.close()
await provider.forceFlush()
console.log(JSON.stringify({ status, seen, spans: finishedSpans() }))
