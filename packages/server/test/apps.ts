import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { PassThrough } from 'node:stream'
import { setTimeout as delay } from 'node:timers/promises'
import { createAdaptorServer } from '@hono/node-server'
import Router from '@koa/router'
import { propagation, trace } from '@opentelemetry/api'
import type { ServerOptions } from '@otel-http/core'
import {
  expressErrorTracing,
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

/**
 * Two server layers on one request: an Express app with `expressTracing` and a `/users/:id` route
 * answering `ok`, inside `traceRequestListener`.
 *
 * @example
 * const server = http.createServer(stackedExpressListener())
 */
export function stackedExpressListener(): http.RequestListener {
  const app = express()
  app.use(expressTracing())
  app.get('/users/:id', (_req, res) => {
    res.send('ok')
  })
  return traceRequestListener(app)
}

/** What a handler saw: the active span and baggage while it ran. */
export interface Seen {
  traceId: string
  spanId: string
  workParent: string | undefined
  baggage: Record<string, string>
}

/**
 * The work every app does for `/users/:id`: starts a span in the active context and awaits,
 * so context must survive an async gap. `delay` lets two requests interleave.
 */
async function work(delayMs: number): Promise<Seen> {
  const active = trace.getActiveSpan()
  const child = trace.getTracer('handler').startSpan('work')
  await delay(delayMs)
  const after = trace.getActiveSpan()
  child.end()
  const baggage = Object.fromEntries(
    (propagation.getActiveBaggage()?.getAllEntries() ?? []).map(([k, e]) => [k, e.value]),
  )
  return {
    traceId: after?.spanContext().traceId ?? 'none',
    spanId: active === after ? (after?.spanContext().spanId ?? 'none') : 'changed',
    workParent: active?.spanContext().spanId,
    baggage,
  }
}

const delayOf = (value: unknown) => Number(value ?? 0) || 0

export interface App {
  url: string
  close(): Promise<void>
}

// biome-ignore lint/suspicious/noExplicitAny: each app narrows the request type its hooks see
type AnyOptions = ServerOptions<any, any>

export interface Framework {
  name: string
  /** Whether the framework knows the route template. */
  routes: boolean
  /** Whether the span follows the response to its close, not just the handler (Node-served). */
  followsResponse: boolean
  start(options: AnyOptions): Promise<App>
}

async function listen(server: http.Server): Promise<App> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function hangingStream(): PassThrough {
  const stream = new PassThrough()
  stream.write('partial')
  return stream
}

// A body that sends one chunk and then never ends, as a fetch-style handler streams it.
function hangingBody(): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('partial'))
    },
  })
}

async function fetchStyle(request: Request): Promise<Response> {
  const url = new URL(request.url)
  if (url.pathname === '/hang') return new Response(hangingBody(), { status: 200 })
  if (url.pathname.startsWith('/users/'))
    return Response.json(await work(delayOf(url.searchParams.get('delay'))))
  if (url.pathname === '/boom') throw new Error('boom')
  if (url.pathname === '/fail') return new Response('unavailable', { status: 503 })
  return new Response('not found', { status: 404 })
}

export const frameworks: Framework[] = [
  {
    name: 'node:http',
    routes: false,
    followsResponse: true,
    async start(options) {
      const listener = traceRequestListener(async (req, res) => {
        const url = new URL(req.url ?? '/', 'http://x')
        if (url.pathname.startsWith('/users/')) {
          const seen = await work(delayOf(url.searchParams.get('delay')))
          res.setHeader('content-type', 'application/json').end(JSON.stringify(seen))
        } else if (url.pathname === '/boom') {
          throw new Error('boom')
        } else if (url.pathname === '/fail') {
          res.writeHead(503).end()
        } else if (url.pathname === '/hang') {
          res.writeHead(200)
          res.write('partial')
        } else {
          res.writeHead(404).end()
        }
      }, options)
      // Like a framework would: a rejected listener becomes a 500 (the wrapper passes it through).
      const server = http.createServer((req, res) => {
        const result = listener(req, res) as Promise<unknown>
        result.catch(() => res.writeHead(500).end())
      })
      return listen(server)
    },
  },
  {
    name: 'express',
    routes: true,
    followsResponse: true,
    async start(options) {
      const app = express()
      app.set('env', 'test')
      app.use(expressTracing(options))
      const api = express.Router()
      api.get('/users/:id', async (req, res) => {
        res.json(await work(delayOf(req.query.delay)))
      })
      app.use('/api', api)
      app.get('/users/:id', async (req, res) => {
        res.json(await work(delayOf(req.query.delay)))
      })
      app.get('/boom', async () => {
        throw new Error('boom')
      })
      app.get('/fail', (_req, res) => {
        res.sendStatus(503)
      })
      app.get('/hang', (_req, res) => {
        res.status(200).write('partial')
      })
      app.use(expressErrorTracing())
      return listen(http.createServer(app))
    },
  },
  {
    name: 'koa',
    routes: true,
    followsResponse: true,
    async start(options) {
      const app = new Koa()
      app.silent = true
      const router = new Router()
      router.get('/users/:id', async (ctx) => {
        ctx.body = await work(delayOf(ctx.query.delay))
      })
      router.get('/boom', async () => {
        throw new Error('boom')
      })
      router.get('/fail', (ctx) => {
        ctx.status = 503
      })
      router.get('/hang', (ctx) => {
        ctx.body = hangingStream()
      })
      const api = new Router({ prefix: '/api' })
      api.get('/users/:id', async (ctx) => {
        ctx.body = await work(delayOf(ctx.query.delay))
      })
      app.use(koaTracing(options)).use(router.routes()).use(api.routes())
      return listen(http.createServer(app.callback()))
    },
  },
  {
    name: 'fastify',
    routes: true,
    followsResponse: true,
    async start(options) {
      const app = Fastify({ forceCloseConnections: true })
      await app.register(fastifyTracing, options)
      app.get('/users/:id', async (request) => work(delayOf((request.query as { delay?: string }).delay)))
      app.get('/boom', async () => {
        throw new Error('boom')
      })
      app.get('/fail', async (_request, reply) => reply.code(503).send('unavailable'))
      app.get('/hang', async (_request, reply) => reply.send(hangingStream()))
      await app.register(
        async (api) => {
          api.get('/users/:id', async (request) => work(delayOf((request.query as { delay?: string }).delay)))
        },
        { prefix: '/api' },
      )
      await app.listen({ port: 0, host: '127.0.0.1' })
      const { port } = app.server.address() as AddressInfo
      return { url: `http://127.0.0.1:${port}`, close: () => app.close() }
    },
  },
  {
    name: 'hono',
    routes: true,
    followsResponse: true,
    async start(options) {
      const app = new Hono()
      app.onError((_error, c) => c.text('Internal Server Error', 500))
      app.use('*', honoTracing(options))
      app.get('/users/:id', async (c) => c.json(await work(delayOf(c.req.query('delay')))))
      app.get('/boom', () => {
        throw new Error('boom')
      })
      app.get('/fail', (c) => c.text('unavailable', 503))
      app.get('/hang', () => new Response(hangingBody(), { status: 200 }))
      const api = new Hono()
      api.get('/users/:id', async (c) => c.json(await work(delayOf(c.req.query('delay')))))
      app.route('/api', api)
      return listen(createAdaptorServer({ fetch: app.fetch }) as http.Server)
    },
  },
  {
    name: 'traceFetchHandler',
    routes: false,
    followsResponse: true,
    async start(options) {
      return listen(createAdaptorServer({ fetch: traceFetchHandler(fetchStyle, options) }) as http.Server)
    },
  },
]
