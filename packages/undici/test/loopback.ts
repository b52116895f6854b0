import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { context, createTraceState, propagation, type Span, trace } from '@opentelemetry/api'
import { afterAll, beforeAll } from 'vitest'

export interface SeenRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  /** Name/value pairs as they arrived, to catch a header sent twice. */
  rawHeaders: string[]
  body: string
}

/**
 * A real node:http server on 127.0.0.1, port 0. `/status/NNN` answers NNN, `/hang…` never
 * answers, `/partial` sends headers and one chunk then stalls, `/redirect?to=URL`
 * answers 302 to URL, anything else is 200 "ok".
 * Every request is recorded with its raw headers and body.
 */
export async function startServer() {
  const seen: SeenRequest[] = []
  const hanging = new Set<ServerResponse>()
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: Buffer.concat(chunks).toString(),
    })
    if (req.url?.startsWith('/hang') || req.url === '/partial') {
      // Keep the response open: /partial after its headers and a first chunk.
      if (req.url === '/partial') {
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.write('part')
      }
      hanging.add(res)
      return
    }
    if (req.url?.startsWith('/redirect?to=')) {
      res.writeHead(302, { location: decodeURIComponent(req.url.slice('/redirect?to='.length)) })
      res.end()
      return
    }
    const status = /^\/status\/(\d{3})/.exec(req.url ?? '')
    res.writeHead(status ? Number(status[1]) : 200, { 'content-type': 'text/plain', 'x-server': 'loopback' })
    res.end('ok')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    seen,
    /** The recorded request whose URL is `path`. */
    request: (path: string) => seen.find((r) => r.url === path),
    async close() {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

/** A port nothing listens on: bound once, then released. */
export async function refusedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return port
}

/** Values of every occurrence of `name` (any case) in a raw header list. */
export function rawValues(rawHeaders: string[], name: string): string[] {
  const values: string[] = []
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === name) values.push(rawHeaders[i + 1]!)
  }
  return values
}

/**
 * Runs `fn` under a parent span whose trace carries a `tracestate` and whose context carries
 * baggage (one ordinary key, one secret-looking key). The parent ends after `fn` settles.
 */
export async function underParent<T>(
  tracer: ReturnType<typeof trace.getTracer>,
  fn: (parent: Span) => Promise<T>,
): Promise<{ parent: Span; result: T }> {
  // A fresh remote trace per call (so concurrent parents never share one) with a tracestate.
  const remoteCtx = trace.setSpanContext(context.active(), {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    traceFlags: 1,
    isRemote: true,
    traceState: createTraceState('vendor=abc'),
  })
  const parent = tracer.startSpan('parent', {}, remoteCtx)
  const ctx = propagation.setBaggage(
    trace.setSpan(remoteCtx, parent),
    propagation.createBaggage({ user_id: { value: 'alice' }, session_id: { value: 's3cr3t' } }),
  )
  try {
    return { parent, result: await context.with(ctx, () => fn(parent)) }
  } finally {
    parent.end()
  }
}

/**
 * For the tests of one file: a loopback server and an Agent, the Agent composed with the tracing
 * interceptor by `compose`; started before the file's tests, closed after them.
 */
export function tracedAgentFixture<A extends { close(): Promise<unknown> }, D>(
  createAgent: () => A,
  compose: (agent: A) => D,
) {
  const fixture = {} as { server: Awaited<ReturnType<typeof startServer>>; agent: A; traced: D }
  beforeAll(async () => {
    fixture.server = await startServer()
    fixture.agent = createAgent()
    fixture.traced = compose(fixture.agent)
  })
  afterAll(async () => {
    await fixture.agent.close()
    await fixture.server.close()
  })
  return fixture
}
