import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupTracing } from '../support/tracing'
import { type EchoApp, echoApps } from './echo-apps'
import { rawRequest, requestHead } from './raw-http'

setupTracing()

// Bytes as a hostile or broken client sends them. CR and LF are left out: they end a header
// line, which is the HTTP parser's business (the same with or without tracing), not ours.
const bytes = (maxLength: number) =>
  fc.uint8Array({ maxLength }).map((array) => Buffer.from(array.filter((byte) => byte !== 13 && byte !== 10)))

const TRACE_ID = fc.stringMatching(/^[0-9a-f]{32}$/)
const SPAN_ID = fc.stringMatching(/^[0-9a-f]{16}$/)
// Near-valid values find more than noise does: real traceparents, lists of members, then mutations.
const traceparentLike = fc
  .tuple(fc.constantFrom('00', '01', 'ff', 'cc'), TRACE_ID, SPAN_ID, fc.constantFrom('00', '01', '03', 'zz'))
  .map((parts) => Buffer.from(parts.join('-')))
const membersLike = fc
  .array(fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 24 })), { maxLength: 40 })
  .map((pairs) => Buffer.from(pairs.map(([k, v]) => `${k}=${v}`).join(','), 'utf8'))
const large = fc
  .tuple(fc.integer({ min: 8_000, max: 64 * 1024 }), fc.constantFrom('a=b,', 'x', ',', '00-', ';p'))
  .map(([length, unit]) => Buffer.from(unit.repeat(Math.ceil(length / unit.length)).slice(0, length)))
const headerValue = fc.oneof(
  { arbitrary: bytes(200), weight: 4 },
  { arbitrary: traceparentLike, weight: 2 },
  { arbitrary: membersLike, weight: 3 },
  { arbitrary: large, weight: 1 },
)
const traceHeaders = fc
  .array(
    fc.tuple(fc.constantFrom('traceparent', 'tracestate', 'baggage', 'TraceParent', 'BAGGAGE'), headerValue),
    {
      maxLength: 4,
    },
  )
  .filter((headers) => headers.reduce((size, [, value]) => size + value.length, 0) < 128 * 1024)

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
  target: fc.webPath().map((path) => path || '/'),
  headers: traceHeaders,
  body: fc.string({ maxLength: 64 }).map((s) => Buffer.from(s, 'utf8').toString('latin1')),
})

// What a client gets back from each server adapter is exactly what it gets without it, whatever
// arrives in traceparent, tracestate and baggage (repeated, malformed, up to 64 KB).
describe.each(echoApps)('$name', ({ start }) => {
  let traced: EchoApp
  let bare: EchoApp
  beforeAll(async () => {
    ;[traced, bare] = await Promise.all([start(true), start(false)])
  })
  afterAll(async () => {
    await Promise.all([traced?.close(), bare?.close()])
  })

  it('answers arbitrary inbound trace headers exactly as without tracing', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ method, target, headers, body }) => {
        const length = Buffer.byteLength(body, 'latin1')
        const send = (port: number) =>
          rawRequest(port, requestHead(method, target, port, headers, length), body)
        const [withTracing, without] = await Promise.all([send(traced.port), send(bare.port)])
        expect(withTracing).toBe(without.replaceAll(`127.0.0.1:${bare.port}`, `127.0.0.1:${traced.port}`))
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 40) },
    )
  })
})
