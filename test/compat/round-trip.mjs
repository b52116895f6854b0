// A real two-service round trip, run inside a throw-away npm app that installed the packed
// packages beside a stack (OpenTelemetry SDK 2 or 3 through NodeSDK, undici, Express, axios).
//
//   caller span (baggage tenant.id=acme)
//     └ tracedFetch ──▶ service A: node:http + traceRequestListener
//                         ├ tracedFetch ───────────────▶ service B: Express + expressTracing
//                         ├ axios + instrumentAxios ───▶ service B
//                         └ undici Agent + tracingInterceptor ──▶ service B
//
// Asserts what service B received on the wire and the parentage of every span. Prints one line
// of JSON (versions it ran against) and exits 0, or throws.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { context, propagation, SpanKind, trace } from '@opentelemetry/api'
import { NodeSDK } from '@opentelemetry/sdk-node'
import { instrumentAxios } from '@otel-http/axios'
import { tracedFetch } from '@otel-http/fetch'
import { expressTracing } from '@otel-http/server/express'
import { traceRequestListener } from '@otel-http/server/node'
import { tracingInterceptor } from '@otel-http/undici'
import axios from 'axios'
import express from 'express'
import { Agent, request } from 'undici'

// SDK 3 renamed @opentelemetry/sdk-trace-base to @opentelemetry/sdk-trace, whose processors take
// an options object.
const sdk3 = await import('@opentelemetry/sdk-trace').catch(() => undefined)
const { InMemorySpanExporter, SimpleSpanProcessor } = sdk3 ?? (await import('@opentelemetry/sdk-trace-base'))
const versionOf = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version

// Spans only: no OTLP exporter for the metrics and logs NodeSDK would otherwise set up.
process.env.OTEL_METRICS_EXPORTER = 'none'
process.env.OTEL_LOGS_EXPORTER = 'none'
const exporter = new InMemorySpanExporter()
const sdk = new NodeSDK({
  spanProcessors: [sdk3 ? new SimpleSpanProcessor({ exporter }) : new SimpleSpanProcessor(exporter)],
  instrumentations: [],
  resourceDetectors: [],
})
sdk.start()

const listen = (server) =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)),
  )

// Service B: Express, records what arrived on the wire and which span was active.
const seen = {}
const b = express()
b.use(expressTracing())
b.get('/b/:via', (req, res) => {
  seen[req.params.via] = {
    traceparent: req.get('traceparent'),
    baggage: req.get('baggage'),
    activeSpanId: trace.getActiveSpan()?.spanContext().spanId,
  }
  res.json({ ok: true })
})
const bServer = http.createServer(b)
const bUrl = await listen(bServer)

// Service A: node:http, calls B through each client adapter in turn.
const agent = new Agent().compose(tracingInterceptor())
const client = axios.create()
instrumentAxios(client)
const fetchB = tracedFetch()
const aServer = http.createServer(
  traceRequestListener(async (_req, res) => {
    await (await fetchB(`${bUrl}/b/fetch`)).text()
    await client.get(`${bUrl}/b/axios`)
    await (await request(`${bUrl}/b/undici`, { dispatcher: agent })).body.text()
    res.end('done')
  }),
)
const aUrl = await listen(aServer)

const tracer = trace.getTracer('compat-caller')
const caller = tracer.startSpan('caller')
const callerContext = propagation.setBaggage(
  trace.setSpan(context.active(), caller),
  propagation.createBaggage({ 'tenant.id': { value: 'acme' } }),
)
const body = await context.with(callerContext, async () => (await tracedFetch()(`${aUrl}/a`)).text())
caller.end()
assert.equal(body, 'done')

// Server spans end when their response closes, which can follow the client's last read.
const EXPECTED = 9 // caller, caller→A, A, 3 × (A→B client, B)
for (let i = 0; i < 200 && exporter.getFinishedSpans().length < EXPECTED; i++) {
  await new Promise((resolve) => setTimeout(resolve, 25))
}
const spans = exporter.getFinishedSpans()
assert.equal(spans.length, EXPECTED, `spans: ${spans.map((s) => s.name).join(', ')}`)

const traceId = caller.spanContext().traceId
const parentOf = (span) => span.parentSpanContext?.spanId ?? span.parentSpanId
const childOf = (parent, scope, kind) => {
  const found = spans.filter(
    (s) =>
      parentOf(s) === parent.spanContext().spanId && s.instrumentationScope.name === scope && s.kind === kind,
  )
  assert.equal(found.length, 1, `one ${scope} span under ${parent.name}: ${found.length}`)
  return found[0]
}
for (const span of spans)
  assert.equal(span.spanContext().traceId, traceId, `${span.name} in the caller's trace`)
for (const span of spans.filter((s) => s.instrumentationScope.name.startsWith('@otel-http/'))) {
  const scope = span.instrumentationScope
  assert.equal(scope.version, versionOf(scope.name), `${scope.name} scope version`)
}

const toA = childOf(
  { name: 'caller', spanContext: () => caller.spanContext() },
  '@otel-http/fetch',
  SpanKind.CLIENT,
)
const a = childOf(toA, '@otel-http/server', SpanKind.SERVER)
assert.equal(a.name, 'GET')
for (const via of ['fetch', 'axios', 'undici']) {
  const out = childOf(a, `@otel-http/${via}`, SpanKind.CLIENT)
  const inB = childOf(out, '@otel-http/server', SpanKind.SERVER)
  assert.equal(inB.name, 'GET /b/:via', `${via}: B's span name from the Express route`)
  assert.equal(
    seen[via]?.traceparent,
    `00-${traceId}-${out.spanContext().spanId}-01`,
    `${via}: traceparent on the wire`,
  )
  assert.equal(seen[via]?.baggage, 'tenant.id=acme', `${via}: baggage on the wire`)
  assert.equal(seen[via]?.activeSpanId, inB.spanContext().spanId, `${via}: B's span is active in the route`)
}

await agent.close()
await new Promise((resolve) => aServer.close(resolve))
await new Promise((resolve) => bServer.close(resolve))
await sdk.shutdown()

const versions = ['@opentelemetry/api', '@opentelemetry/sdk-node', 'undici', 'express', 'axios']
console.log(
  JSON.stringify({ node: process.version, ...Object.fromEntries(versions.map((n) => [n, versionOf(n)])) }),
)
