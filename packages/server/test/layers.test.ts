import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { SpanKind } from '@opentelemetry/api'
import {
  expressErrorTracing,
  expressTracing,
  fastifyTracing,
  honoTracing,
  traceFetchHandler,
  traceRequestListener,
} from '@otel-http/server'
import express from 'express'
import { Hono } from 'hono'
import { Agent, request } from 'undici'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { setupTracing } from '../../../test/support/tracing'
import { stackedExpressListener } from './apps'

const otel = setupTracing()
afterEach(() => otel.reset())

async function serve(server: http.Server, path: string) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  try {
    const response = await request(`http://127.0.0.1:${port}${path}`)
    return { status: response.statusCode, body: await response.body.text() }
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
}

const serverSpans = () =>
  vi.waitFor(() => {
    const spans = otel.spans().filter((s) => s.kind === SpanKind.SERVER)
    expect(spans.length).toBeGreaterThan(0)
    return spans
  })

describe('one request, one span', () => {
  it('expressTracing inside traceRequestListener joins its span and still sets the route', async () => {
    expect((await serve(http.createServer(stackedExpressListener()), '/users/9')).status).toBe(200)
    const spans = await serverSpans()
    expect(spans).toHaveLength(1)
    expect(spans[0]!.name).toBe('GET /users/:id')
  })

  it('a node layer joins by request: another request dispatched inside a traced one gets its own span', async () => {
    const inner = traceRequestListener((_req, res) => res.end('inner'))
    const outer = traceRequestListener((req, res) => {
      // An in-process dispatch, as inject-style helpers make: another request, the outer's context active.
      const dispatched = new http.IncomingMessage(req.socket)
      Object.assign(dispatched, { method: 'GET', url: '/dispatched', headers: {} })
      const dispatchedRes = new http.ServerResponse(dispatched)
      inner(dispatched, dispatchedRes)
      dispatchedRes.emit('close')
      res.end('outer')
    })
    expect((await serve(http.createServer(outer), '/outer')).status).toBe(200)
    const spans = await vi.waitFor(() => {
      const found = otel.spans().filter((s) => s.kind === SpanKind.SERVER)
      expect(found).toHaveLength(2)
      return found
    })
    expect(spans.map((s) => s.attributes['url.path']).sort()).toEqual(['/dispatched', '/outer'])
  })

  it('honoTracing inside traceFetchHandler joins its span', async () => {
    const app = new Hono()
    app.use('*', honoTracing())
    app.get('/items/:id', (c) => c.text('ok'))
    const server = createAdaptorServer({ fetch: traceFetchHandler(app.fetch) }) as http.Server
    expect((await serve(server, '/items/1')).status).toBe(200)
    const spans = await serverSpans()
    expect(spans).toHaveLength(1)
    expect(spans[0]!.attributes['http.route']).toBe('/items/:id')
  })
})

describe('the request handle expressErrorTracing reads', () => {
  it('belongs to its own request: an untraced request on the same connection finds none', async () => {
    const app = express()
    app.use(expressTracing({ ignore: ['/untraced'] }))
    app.get('/traced', (_req, res) => {
      res.send('ok')
    })
    app.get('/untraced', () => {
      throw new Error('untraced boom')
    })
    app.get('/boom', () => {
      throw new Error('traced boom')
    })
    app.use(expressErrorTracing())
    app.use(((_error, _req, res, _next) => {
      res.status(500).send('handled')
    }) as express.ErrorRequestHandler)
    const server = http.createServer(app)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    // One connection, kept alive: the three requests share a socket.
    const dispatcher = new Agent({ connections: 1 })
    try {
      for (const path of ['/traced', '/untraced', '/boom']) {
        const response = await request(`http://127.0.0.1:${port}${path}`, { dispatcher })
        await response.body.text()
      }
    } finally {
      await dispatcher.close()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
    const spans = await vi.waitFor(() => {
      const found = otel.spans().filter((s) => s.kind === SpanKind.SERVER)
      expect(found).toHaveLength(2)
      return found
    })
    const byPath = new Map(spans.map((span) => [span.attributes['url.path'], span]))
    expect(byPath.get('/traced')!.events).toEqual([])
    expect(byPath.get('/boom')!.events.map((e) => e.attributes?.['exception.message'])).toEqual([
      'traced boom',
    ])
  })
})

describe('pass-through', () => {
  it('traceFetchHandler passes this and the extra arguments, and returns the response', async () => {
    const seen: unknown[] = []
    const worker = {
      name: 'worker',
      fetch: traceFetchHandler(function (this: { name: string }, req: Request, env: { key: string }) {
        seen.push(this.name, env.key, req.method)
        return new Response('hi', { status: 201 })
      }),
    }
    const response = await worker.fetch(new Request('https://example.com:8443/a?b=1'), { key: 'k' })
    expect(response.status).toBe(201)
    expect(seen).toEqual(['worker', 'k', 'GET'])
    const [span] = await serverSpans()
    expect(span!.attributes).toMatchObject({
      'url.scheme': 'https',
      'server.address': 'example.com',
      'server.port': 8443,
      'url.path': '/a',
      'url.query': 'b=1',
    })
  })

  it('ignored paths get no span and are served normally', async () => {
    const listener = traceRequestListener((_req, res) => res.end('ok'), { ignore: ['/health'] })
    expect(await serve(http.createServer(listener), '/health')).toEqual({ status: 200, body: 'ok' })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(otel.spans()).toEqual([])
  })

  it('fastifyTracing is not encapsulated and its hooks see the Fastify request', async () => {
    expect((fastifyTracing as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')]).toBe(true)
    const { default: Fastify } = await import('fastify')
    const app = Fastify({ forceCloseConnections: true })
    const routes: unknown[] = []
    await app.register(fastifyTracing, {
      requestHook: ({ request }) => routes.push(request.routeOptions.url),
    })
    app.get('/orders/:id', async () => 'ok')
    const response = await app.inject({ method: 'GET', url: '/orders/5' })
    expect(response.statusCode).toBe(200)
    expect(routes).toEqual(['/orders/:id'])
    await app.close()
  })
})
