/**
 * A framework server process: `framework-server.ts <express|koa|fastify|hono> <bare|ours|peer>
 * <propagator>`. One route, `GET /items/:id`, answering a small JSON body. `ours` registers the
 * framework's otel-http adapter; `peer` the explicit peer: `@fastify/otel` (hook
 * and handler spans off, so one SERVER span per request), `@hono/otel`, and for Express and Koa
 * the SDK floor by hand (lib/by-hand.ts). Every traced mode registers the same SDK.
 */
import type { Server } from 'node:http'
import { createServer } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import Router from '@koa/router'
import { expressTracing, koaTracing } from '@otel-http/server'
import express from 'express'
import Koa from 'koa'
import { serverSpanByHand } from '../lib/by-hand'
import { serveCounted } from '../lib/counted-server'
import { type FrameworkMode, fastifyApp, honoApp } from '../lib/framework-apps'
import { type PropagatorChoice, setupSdk } from '../lib/sdk'

import { FRAMEWORKS, type Framework } from '../lib/variants'

const [framework, mode, propagator] = process.argv.slice(2) as [Framework, FrameworkMode, PropagatorChoice]
const sdk = mode === 'bare' ? undefined : setupSdk(propagator)
const item = (id: string) => ({ id, name: 'widget' })

const apps: Record<Framework, () => Promise<Server>> = {
  async express() {
    const app = express()
    if (mode === 'ours') app.use(expressTracing())
    if (mode === 'peer') app.use((req, res, next) => serverSpanByHand(req, res, next))
    app.get('/items/:id', (req, res) => {
      res.json(item(req.params.id))
    })
    return createServer({ keepAliveTimeout: 60_000 }, app)
  },
  async koa() {
    const app = new Koa()
    if (mode === 'ours') app.use(koaTracing())
    if (mode === 'peer') app.use((ctx, next) => serverSpanByHand(ctx.req, ctx.res, next))
    const router = new Router()
    router.get('/items/:id', (ctx) => {
      ctx.body = item(ctx.params.id!)
    })
    app.use(router.routes())
    return createServer({ keepAliveTimeout: 60_000 }, app.callback())
  },
  async fastify() {
    return (await fastifyApp(mode)).server
  },
  async hono() {
    const app = honoApp(mode)
    return createAdaptorServer({ fetch: app.fetch, serverOptions: { keepAliveTimeout: 60_000 } }) as Server
  },
}

if (!FRAMEWORKS.includes(framework)) throw new Error(`unknown framework ${framework}`)
serveCounted(await apps[framework](), sdk?.exportedSpans)
