import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { context, propagation, SpanKind, TraceFlags, trace } from '@opentelemetry/api'
import { TraceState } from '@opentelemetry/core'
import { tracedFetch } from '@otel-http/fetch'
import { traceRequestListener } from '@otel-http/server'
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { parentIdOf, parseTraceparent, setupTracing } from '../support/tracing'
import { type NginxProxy, startNginx } from './nginx-proxy'

// A traced call through a real nginx reverse proxy to a loopback server traced with
// @otel-http/server; nginx itself is not instrumented, as in most deployments.

let tracing: ReturnType<typeof setupTracing>
let backend: Server
let proxy: NginxProxy
let received: IncomingHttpHeaders[] = []
// Resolved by the backend's 'close' listener, registered after traceRequestListener's own, so
// the SERVER span has ended by then: the test waits for an event, never for a delay.
let served: Promise<void>
let markServed: () => void
// Created after setupTracing(), which replaces the global tracer provider.
let fetch: typeof globalThis.fetch

beforeAll(async () => {
  tracing = setupTracing()
  fetch = tracedFetch()
  backend = createServer(
    traceRequestListener((req: IncomingMessage, res: ServerResponse) => {
      received.push(req.headers)
      res.once('close', () => markServed())
      res.end('ok')
    }),
  )
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
  const upstream = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
  proxy = await startNginx(upstream, [
    // nginx's default: every request header is passed on, unknown ones included.
    { name: 'default', directives: [] },
    // A proxy that forwards only what it sets itself (a header allow-list taken to the limit).
    { name: 'dropsHeaders', directives: ['proxy_pass_request_headers off;'] },
    // A proxy that clears the trace header explicitly but leaves baggage alone.
    { name: 'clearsTraceparent', directives: ['proxy_set_header traceparent "";'] },
  ])
})
beforeEach(() => {
  tracing.reset()
  received = []
  served = new Promise((resolve) => {
    markServed = resolve
  })
})
afterAll(async () => {
  await proxy?.close()
  await new Promise((resolve) => backend?.close(resolve))
})

const REMOTE_PARENT = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
  traceState: new TraceState('vendor=abc'),
  isRemote: true,
}

/** A call made inside a trace that has tracestate and baggage, as an upstream service would. */
function call(url: string) {
  const ctx = propagation.setBaggage(
    trace.setSpanContext(context.active(), REMOTE_PARENT),
    propagation.createBaggage({ user_id: { value: '42' } }),
  )
  return context.with(ctx, async () => {
    const response = await fetch(`${url}/orders`)
    const text = await response.text()
    await served
    return text
  })
}

const spanOf = (kind: SpanKind) => tracing.spans().find((s) => s.kind === kind)!

describe.skipIf(!inject('services').nginx)('HTTP proxy hop through a real nginx', () => {
  it('passes the context through unchanged: the proxy is invisible in the trace', async () => {
    expect(await call(proxy.urls.default!)).toBe('ok')

    const client = spanOf(SpanKind.CLIENT)
    const server = spanOf(SpanKind.SERVER)
    expect(tracing.spans()).toHaveLength(2)
    expect(server.spanContext().traceId).toBe(REMOTE_PARENT.traceId)
    expect(parentIdOf(server)).toBe(client.spanContext().spanId)

    const [headers] = received
    expect(parseTraceparent(headers!.traceparent as string)).toEqual({
      traceId: REMOTE_PARENT.traceId,
      parentId: client.spanContext().spanId,
      flags: '01',
    })
    expect(headers!.tracestate).toBe('vendor=abc')
    expect(headers!.baggage).toBe('user_id=42')
  })

  it('breaks the chain when the proxy drops unknown headers: the server starts a new root', async () => {
    expect(await call(proxy.urls.dropsHeaders!)).toBe('ok')

    const client = spanOf(SpanKind.CLIENT)
    const server = spanOf(SpanKind.SERVER)
    const [headers] = received
    expect(headers!.traceparent).toBeUndefined()
    expect(headers!.baggage).toBeUndefined()
    expect(server.parentSpanContext).toBeUndefined()
    expect(server.spanContext().traceId).not.toBe(client.spanContext().traceId)
  })

  it('a cleared traceparent restarts the trace even though baggage still arrives', async () => {
    expect(await call(proxy.urls.clearsTraceparent!)).toBe('ok')

    const client = spanOf(SpanKind.CLIENT)
    const server = spanOf(SpanKind.SERVER)
    const [headers] = received
    expect(headers!.traceparent).toBeUndefined()
    expect(headers!.tracestate).toBe('vendor=abc')
    expect(headers!.baggage).toBe('user_id=42')
    expect(server.parentSpanContext).toBeUndefined()
    expect(server.spanContext().traceId).not.toBe(client.spanContext().traceId)
  })
})
