import { baggageEntryMetadataFromString, type TextMapPropagator } from '@opentelemetry/api'
import { instrumentAxios } from '@otel-http/axios'
import { w3cPropagator } from '@otel-http/core'
import { tracedFetch } from '@otel-http/fetch'
import { tracingInterceptor } from '@otel-http/undici'
import axios from 'axios'
import fc from 'fast-check'
import { Agent, request } from 'undici'
import { describe, expect, it } from 'vitest'
import { useLoopbackServer, type WireRequest } from '../support/loopback-server'
import { setupTracing } from '../support/tracing'
import { underParent } from '../support/under-parent'

const otel = setupTracing()
const agent = new Agent()
const server = useLoopbackServer(() => agent.close())

/** What one call ended with, as the caller sees it: the answer, or the error's kind. */
type Outcome = { status: number; body: string } | { error: string }

interface Client {
  name: string
  bare: (url: string) => Promise<Outcome>
  traced: (propagator: TextMapPropagator | undefined) => (url: string) => Promise<Outcome>
}

const failed = (error: unknown): Outcome => ({ error: (error as Error)?.name ?? typeof error })
const viaAxios = (adapter: 'http' | 'fetch', traced: boolean, propagator?: TextMapPropagator) => {
  const instance = axios.create({ adapter, validateStatus: () => true, responseType: 'text' })
  if (traced) instrumentAxios(instance, { propagator })
  return (url: string) =>
    instance.post<string>(url, 'payload').then((r): Outcome => ({ status: r.status, body: r.data }), failed)
}
const viaFetch = (fetchImpl: typeof fetch) => (url: string) =>
  fetchImpl(url, { method: 'POST', body: 'payload' }).then(
    async (r): Promise<Outcome> => ({ status: r.status, body: await r.text() }),
    failed,
  )
const viaUndici = (dispatcher: Parameters<typeof request>[1] extends infer O ? O : never) => (url: string) =>
  request(url, { method: 'POST', body: 'payload', ...dispatcher }).then(
    async (r): Promise<Outcome> => ({ status: r.statusCode, body: await r.body.text() }),
    failed,
  )

const clients: Client[] = [
  {
    name: 'tracedFetch',
    bare: viaFetch(fetch),
    traced: (propagator) => viaFetch(tracedFetch(fetch, { propagator })),
  },
  {
    name: 'tracingInterceptor',
    bare: viaUndici({ dispatcher: agent }),
    traced: (propagator) => viaUndici({ dispatcher: agent.compose(tracingInterceptor({ propagator })) }),
  },
  {
    name: 'instrumentAxios (http adapter)',
    bare: viaAxios('http', false),
    traced: (propagator) => viaAxios('http', true, propagator),
  },
  {
    name: 'instrumentAxios (fetch adapter)',
    bare: viaAxios('fetch', false),
    traced: (propagator) => viaAxios('fetch', true, propagator),
  },
]

// Baggage as application code builds it: any key, value and metadata string.
const baggage = fc.dictionary(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }),
  fc.record({
    value: fc.string({ unit: 'binary', maxLength: 32 }),
    metadata: fc.option(fc.string({ unit: 'binary', maxLength: 24 }), { nil: undefined }),
  }),
  { maxKeys: 12 },
)
// Any path, query, fragment and userinfo, always to the loopback echo server.
const urlPart = fc.record({
  path: fc.webPath(),
  query: fc.option(fc.webQueryParameters(), { nil: undefined }),
  fragment: fc.option(fc.webFragments(), { nil: undefined }),
  userinfo: fc.option(fc.constantFrom('alice:hunter2@', 'bob@', ':x@'), { nil: undefined }),
})
const toUrl = (origin: string, part: typeof urlPart extends fc.Arbitrary<infer T> ? T : never) => {
  const { host } = new URL(origin)
  return `http://${part.userinfo ?? ''}${host}${part.path || '/'}${part.query === undefined ? '' : `?${part.query}`}${part.fragment === undefined ? '' : `#${part.fragment}`}`
}

const TRACE_HEADERS = ['traceparent', 'tracestate', 'baggage']
const withoutTraceHeaders = (wire: WireRequest) => ({
  method: wire.method,
  url: wire.url,
  body: wire.body,
  headers: Object.fromEntries(Object.entries(wire.headers).filter(([name]) => !TRACE_HEADERS.includes(name))),
})

const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+"
const BAGGAGE_OCTETS = '[\\x21\\x23-\\x2b\\x2d-\\x3a\\x3c-\\x5b\\x5d-\\x7e]*'
const PROPERTY = `\\s*${TOKEN}\\s*(=\\s*${BAGGAGE_OCTETS}\\s*)?`
const MEMBER = new RegExp(`^\\s*${TOKEN}\\s*=\\s*${BAGGAGE_OCTETS}\\s*(;${PROPERTY})*$`)

/** Every W3C header sent is present at most once, well-formed and within the W3C limits. */
function expectValidTraceHeaders(wire: WireRequest): void {
  expect(wire.traceparent.length).toBeLessThanOrEqual(1)
  expect(wire.tracestate.length).toBeLessThanOrEqual(1)
  expect(wire.baggage.length).toBeLessThanOrEqual(1)
  for (const value of wire.traceparent) expect(value).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/)
  for (const value of wire.baggage) {
    expect(Buffer.byteLength(value)).toBeLessThanOrEqual(8192)
    const members = value.split(',')
    expect(members.length).toBeLessThanOrEqual(180)
    for (const member of members) expect(member).toMatch(MEMBER)
  }
}

const propagators: Array<{ name: string; propagator: TextMapPropagator | undefined }> = [
  { name: "the SDK's W3C propagators", propagator: undefined },
  { name: 'w3cPropagator()', propagator: w3cPropagator() },
]

describe.each(clients)('$name', (client) => {
  it.each(propagators)(
    'with $name: arbitrary baggage and URLs reach the server as without tracing, with valid W3C headers',
    async ({ propagator }) => {
      const traced = client.traced(propagator)
      await fc.assert(
        fc.asyncProperty(baggage, urlPart, async (entries, part) => {
          const url = toUrl(server.origin, part)
          const before = server.requests.length
          const bare = await client.bare(url)
          const bareWire = server.requests.slice(before)
          const middle = server.requests.length
          const { result: withTracing } = await underParent(
            otel.tracer,
            () => traced(url),
            Object.fromEntries(
              Object.entries(entries).map(([key, { value, metadata }]) => [
                key,
                metadata === undefined
                  ? { value }
                  : { value, metadata: baggageEntryMetadataFromString(metadata) },
              ]),
            ),
          )
          const tracedWire = server.requests.slice(middle)
          expect(withTracing).toEqual(
            'body' in bare && 'body' in withTracing ? { ...bare, body: withTracing.body } : bare,
          )
          expect(tracedWire.map(withoutTraceHeaders)).toEqual(bareWire.map(withoutTraceHeaders))
          for (const wire of tracedWire) expectValidTraceHeaders(wire)
        }),
        { numRuns: Number(process.env.PROPERTY_RUNS ?? 40) },
      )
    },
  )
})
