/**
 * The Fastify and Hono apps of the framework benchmarks, one route `GET /items/:id` answering a
 * small JSON body: `ours` registers the otel-http adapter, `peer` the explicit peer
 * (`@fastify/otel` with hook and handler spans off, so one SERVER span per request;
 * `@hono/otel`'s middleware). Served over loopback by processes/framework-server.ts and called
 * without a socket by lib/no-io-framework.ts.
 */
import { FastifyOtelInstrumentation } from '@fastify/otel'
import { httpInstrumentationMiddleware } from '@hono/otel'
import { fastifyTracing, honoTracing } from '@otel-http/server'
import Fastify, { type FastifyInstance } from 'fastify'
import { Hono } from 'hono'

export type FrameworkMode = 'bare' | 'ours' | 'peer'

const item = (id: string) => ({ id, name: 'widget' })

/** A ready Fastify app in `mode` (not listening: `app.server` or `app.inject` serve it). */
export async function fastifyApp(mode: FrameworkMode): Promise<FastifyInstance> {
  const app = Fastify({ keepAliveTimeout: 60_000 })
  if (mode === 'ours') await app.register(fastifyTracing)
  if (mode === 'peer') {
    const instrumentation = new FastifyOtelInstrumentation({
      instrumentHooks: false,
      instrumentHandler: false,
    })
    await app.register(instrumentation.plugin())
  }
  app.get('/items/:id', async (request) => item((request.params as { id: string }).id))
  await app.ready()
  return app
}

/** A Hono app in `mode` (`app.fetch` serves it). */
export function honoApp(mode: FrameworkMode): Hono {
  const app = new Hono()
  if (mode === 'ours') app.use('*', honoTracing())
  if (mode === 'peer') app.use('*', httpInstrumentationMiddleware())
  app.get('/items/:id', (c) => c.json(item(c.req.param('id'))))
  return app
}
