import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { propagation } from '@opentelemetry/api'
import {
  expressTracing,
  fastifyTracing,
  honoTracing,
  koaTracing,
  traceFetchHandler,
  traceRequestListener,
} from '@otel-http/server'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import Koa from 'koa'

/** Room for the 64 KB header values the properties send (Node's default is 16 KB). */
export const MAX_HEADER_SIZE = 256 * 1024

const TRACE_HEADERS = new Set(['traceparent', 'tracestate', 'baggage'])

/** What a handler saw of a request, trace context aside: the same with and without tracing. */
function seen(method: string, target: string, headers: Record<string, unknown>, body: string) {
  const rest = Object.fromEntries(Object.entries(headers).filter(([name]) => !TRACE_HEADERS.has(name)))
  // Which baggage the handler sees depends on tracing; that it can read it without failing does not.
  const baggage = propagation.getActiveBaggage()?.getAllEntries().length ?? 0
  return JSON.stringify({ method, target, headers: rest, body, baggageReadable: baggage >= 0 })
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  let body = ''
  for await (const chunk of req) body += chunk
  return body
}

export interface EchoApp {
  port: number
  close(): Promise<void>
}

async function listen(server: http.Server): Promise<EchoApp> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const nodeServer = (listener: http.RequestListener) =>
  http.createServer({ maxHeaderSize: MAX_HEADER_SIZE }, listener)

/** One echo app per server adapter; `traced: false` is the same app without the adapter. */
export const echoApps: ReadonlyArray<{ name: string; start(traced: boolean): Promise<EchoApp> }> = [
  {
    name: 'node:http',
    start(traced) {
      const listener: http.RequestListener = async (req, res) => {
        const body = await readBody(req)
        res.setHeader('content-type', 'application/json')
        res.end(seen(req.method ?? '', req.url ?? '', req.headers, body))
      }
      return listen(nodeServer(traced ? traceRequestListener(listener) : listener))
    },
  },
  {
    name: 'express',
    start(traced) {
      const app = express()
      app.set('etag', false)
      if (traced) app.use(expressTracing())
      app.use(async (req, res) => {
        const body = await readBody(req)
        res.type('json').send(seen(req.method, req.originalUrl, req.headers, body))
      })
      return listen(nodeServer(app))
    },
  },
  {
    name: 'koa',
    start(traced) {
      const app = new Koa()
      app.silent = true
      if (traced) app.use(koaTracing())
      app.use(async (ctx) => {
        const body = await readBody(ctx.req)
        ctx.type = 'json'
        ctx.body = seen(ctx.method, ctx.originalUrl, ctx.headers, body)
      })
      return listen(nodeServer(app.callback()))
    },
  },
  {
    name: 'fastify',
    async start(traced) {
      const app = Fastify({
        forceCloseConnections: true,
        serverFactory: (handler) => nodeServer(handler),
      })
      app.removeAllContentTypeParsers()
      app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body))
      if (traced) await app.register(fastifyTracing)
      app.all('/*', async (request, reply) =>
        reply
          .type('application/json')
          .send(seen(request.method, request.url, request.headers, String(request.body ?? ''))),
      )
      await app.listen({ port: 0, host: '127.0.0.1' })
      return { port: (app.server.address() as AddressInfo).port, close: () => app.close() }
    },
  },
  {
    name: 'hono',
    start(traced) {
      const app = new Hono()
      if (traced) app.use('*', honoTracing())
      app.all('*', async (c) => {
        const url = new URL(c.req.url)
        const headers = Object.fromEntries(c.req.raw.headers)
        return c.body(seen(c.req.method, url.pathname + url.search, headers, await c.req.text()), 200, {
          'content-type': 'application/json',
        })
      })
      return listen(
        createAdaptorServer({
          fetch: app.fetch,
          serverOptions: { maxHeaderSize: MAX_HEADER_SIZE },
        }) as http.Server,
      )
    },
  },
  {
    name: 'traceFetchHandler',
    start(traced) {
      const handler = async (request: Request) => {
        const url = new URL(request.url)
        const headers = Object.fromEntries(request.headers)
        return new Response(seen(request.method, url.pathname + url.search, headers, await request.text()), {
          headers: { 'content-type': 'application/json' },
        })
      }
      return listen(
        createAdaptorServer({
          fetch: traced ? traceFetchHandler(handler) : handler,
          serverOptions: { maxHeaderSize: MAX_HEADER_SIZE },
        }) as http.Server,
      )
    },
  },
]
