import type { ServerResponse } from 'node:http'
import { createServerInstrumentation, type ServerOptions } from '@otel-http/core'
import type { Context, Middleware } from 'koa'
import { endWhenClosed, startNodeRequest } from './node-request'
import { runInContext } from './run-in-context'
import { SCOPE } from './scope'

/** `ServerOptions` whose hooks see Koa's `ctx` (and node's `ServerResponse`). */
export type KoaTracingOptions = ServerOptions<Context, ServerResponse>

// Set by @koa/router on the context once a route layer matched: the template with any prefix.
function routeOf(ctx: Context): string | undefined {
  const route = (ctx as { _matchedRoute?: unknown })._matchedRoute
  return typeof route === 'string' ? route : undefined
}

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
  // Not an async function: downstream's promise is passed on as it is, with no promise and no
  // await of our own per request; runInContext records what it throws or rejects with.
  return function koaTracingMiddleware(ctx, next) {
    const traced = startNodeRequest(instrumentation, ctx.req, ctx, ctx.originalUrl)
    if (!traced) return next()
    endWhenClosed(traced, ctx.res, ctx.res, routeOf, ctx)
    return runInContext(traced, next, undefined)
  }
}
