import { once } from 'node:events'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { diag, type TextMapPropagator } from '@opentelemetry/api'
import { w3cPropagator } from '@otel-http/core'
import { tracedFetch } from '@otel-http/fetch'
import { traceRequestListener } from '@otel-http/server'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { setupTracing } from '../support/tracing'

// A baggage member whose property breaks the W3C grammar (a Latin-1 letter, a space, quotes, a
// backslash), received by a server whose handler calls on: what goes out must follow the grammar.
const RECEIVED = 'k=v;\xe9 "x"\\y,ok=1;p=1'
// W3C Baggage: key "=" value *(";" property), every part made of baggage-octets or tokens.
const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+"
const OCTETS = '[\\x21\\x23-\\x2b\\x2d-\\x3a\\x3c-\\x5b\\x5d-\\x7e]*'
const MEMBER = `${TOKEN}=${OCTETS}(;${TOKEN}(=${OCTETS})?)*`
const BAGGAGE = new RegExp(`^${MEMBER}(,${MEMBER})*$`)

setupTracing()
let downstream: Server
let downstreamOrigin = ''
const sent: string[][] = []

beforeAll(async () => {
  downstream = createServer((req, res) => {
    sent.push(req.rawHeaders.filter((_, i, raw) => i % 2 === 1 && raw[i - 1]!.toLowerCase() === 'baggage'))
    res.end('ok')
  })
  downstream.listen(0, '127.0.0.1')
  await once(downstream, 'listening')
  downstreamOrigin = `http://127.0.0.1:${(downstream.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => downstream.close(() => resolve())))
afterEach(() => {
  sent.length = 0
  vi.restoreAllMocks()
})

/** Sends one request with `baggage` as raw Latin-1 bytes and waits for the answer. */
async function send(origin: string, baggage: string): Promise<number> {
  const req = request(`${origin}/`, { headers: { baggage } })
  req.end()
  const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage]
  res.resume()
  await once(res, 'end')
  return res.statusCode ?? 0
}

describe.each<{ name: string; propagator?: TextMapPropagator }>([
  { name: "the global propagator (the SDK's W3C propagators)" },
  { name: 'w3cPropagator()', propagator: w3cPropagator() },
])('a server using $name, calling on with tracedFetch', ({ propagator }) => {
  const fetch = tracedFetch(globalThis.fetch, { propagator })
  let server: Server
  let origin = ''
  beforeAll(async () => {
    server = createServer(
      traceRequestListener(
        async (_req, res) => {
          const answer = await fetch(`${downstreamOrigin}/next`)
          await answer.text()
          res.end('done')
        },
        { propagator },
      ),
    )
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('sends the baggage on without the properties that break the grammar', async () => {
    vi.spyOn(diag, 'warn').mockImplementation(() => {})
    expect(await send(origin, RECEIVED)).toBe(200)
    expect(sent).toHaveLength(1)
    expect(sent[0]).toEqual(['k=v,ok=1;p=1'])
    expect(sent[0]![0]).toMatch(BAGGAGE)
  })
})
