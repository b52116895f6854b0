import type { ServerResponse } from 'node:http'
import { context } from '@opentelemetry/api'
import { createServerInstrumentation, type ServerOptions } from '@otel-http/core'
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express'
import { endWhenClosed, handleOf, startNodeRequest } from './node-request'
import { SCOPE } from './scope'

/** `ServerOptions` whose hooks see Express's `req` and `res`. */
export type ExpressTracingOptions = ServerOptions<Request, Response>

// `req.route.path` is relative to the router that matched; `req.baseUrl` is where that router is mounted.
function routeOf(req: Request): string | undefined {
  const path: unknown = req.route?.path
  return typeof path === 'string' ? `${req.baseUrl}${path}` : undefined
}

/**
 * Express 5 / Connect middleware: extracts the caller's context, starts a SERVER span that is
 * active for every later middleware and handler, and ends it when the response closes, with
 * `http.route` from the matched route's template. Register it first. Express handles thrown
 * errors itself (they reach the span as their 500); add `expressErrorTracing()` after your
 * routes to record the exception too.
 *
 * @example
 * import express from 'express'
 * import { expressErrorTracing, expressTracing } from '@otel-http/server'
 *
 * const app = express()
 * app.use(expressTracing())
 * app.get('/users/:id', handler) // span "GET /users/:id"
 * app.use(expressErrorTracing())
 */
export function expressTracing(options: ExpressTracingOptions = {}): RequestHandler {
  const instrumentation = createServerInstrumentation(
    options as ServerOptions<Request, ServerResponse>,
    SCOPE,
  )
  return function expressTracingMiddleware(req, res, next) {
    const traced = startNodeRequest(instrumentation, req, req, req.originalUrl)
    if (!traced) return next()
    endWhenClosed(traced, res, res, routeOf, req)
    context.with(traced.context, next)
  }
}

/**
 * Express error middleware that records an error a handler threw or passed to `next(err)` on
 * the request's SERVER span (exception event, status ERROR), then passes it on unchanged.
 * Register it after your routes and before your own error handlers.
 *
 * @example
 * app.use(expressTracing())
 * app.get('/', routes)
 * app.use(expressErrorTracing())
 */
export function expressErrorTracing(): ErrorRequestHandler {
  return function expressErrorTracingMiddleware(error, req, _res, next) {
    handleOf(req)?.recordError(error)
    next(error)
  }
}
