import type { ServerResponse } from 'node:http'
import { context } from '@opentelemetry/api'
import { createServerInstrumentation, type ServerOptions } from '@otel-http/core'
import type { Context, Middleware } from 'koa'
import { endWhenClosed, startNodeRequest } from './node-request'
import { SCOPE } from './scope'

/** `ServerOptions` whose hooks see Koa's `ctx` (and node's `ServerResponse`). */
export type KoaTracingOptions = ServerOptions<Context, ServerResponse>

// Set by @koa/router on the context once a route layer matched: the template with any prefix.
const routeOf = (ctx: Context): unknown => (ctx as { _matchedRoute?: unknown })._matchedRoute

/**
 * Koa 3 middleware: extracts the caller's context, starts a SERVER span that is active for all
 * downstream middleware, records what they throw (errors carrying a 4xx status are client
 * errors, not recorded), takes `http.route` from @koa/router, and ends the span when the
 * response closes. Register it first.
 *
 * @example
 * import Koa from 'koa'
 * import Router from '@koa/router'
 * import { koaTracing } from '@otel-http/server'
 *
 * const app = new Koa()
 * const router = new Router()
 * router.get('/users/:id', (ctx) => { ctx.body = 'ok' }) // span "GET /users/:id"
 * app.use(koaTracing()).use(router.routes())
 */
export function koaTracing(options: KoaTracingOptions = {}): Middleware {
  const instrumentation = createServerInstrumentation(options, SCOPE)
  return async function koaTracingMiddleware(ctx, next) {
    const traced = startNodeRequest(instrumentation, ctx.req, ctx, ctx.originalUrl)
    if (!traced) return next()
    const setRoute = () => {
      const route = routeOf(ctx)
      if (typeof route === 'string') traced.setRoute(route)
    }
    endWhenClosed(traced, ctx.res, setRoute)
    try {
      await context.with(traced.context, next)
    } catch (error) {
      traced.recordError(error)
      throw error
    } finally {
      setRoute()
    }
  }
}
