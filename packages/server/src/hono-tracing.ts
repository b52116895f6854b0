import { context } from '@opentelemetry/api'
import { createServerInstrumentation, type ServerOptions } from '@otel-http/core'
import type { Context, MiddlewareHandler } from 'hono'
import { startFetchRequest } from './fetch-request'
import { endWhenClosed, nodeResponseOf } from './node-request'
import { SCOPE } from './scope'

/** `ServerOptions` whose hooks see Hono's `c` and the `Response`. */
export type HonoTracingOptions = ServerOptions<Context, Response>

// Under @hono/node-server, `c.env.incoming` is node's IncomingMessage: the peer address and
// HTTP version come from it. Other runtimes do not expose them in a portable way.
interface NodeBindings {
  incoming?: { httpVersion?: string; socket?: { remoteAddress?: string } }
}

/**
 * Hono 4 middleware: extracts the caller's context, starts a SERVER span that is active for
 * everything downstream, takes `http.route` from the matched route's template and ends the span
 * with the response (Hono's `c.error` is recorded). Runs on every Hono runtime. Under
 * @hono/node-server the span ends when the response has been sent or the client left (a
 * streamed body included); elsewhere, when the `Response` is returned.
 *
 * @example
 * import { Hono } from 'hono'
 * import { honoTracing } from '@otel-http/server'
 *
 * const app = new Hono()
 * app.use('*', honoTracing())
 * app.get('/users/:id', (c) => c.text('ok')) // span "GET /users/:id"
 */
export function honoTracing(options: HonoTracingOptions = {}): MiddlewareHandler {
  const instrumentation = createServerInstrumentation(options, SCOPE)
  return async function honoTracingMiddleware(c, next) {
    const incoming = (c.env as NodeBindings | undefined)?.incoming
    const traced = startFetchRequest(instrumentation, c.req.raw, c, {
      clientAddress: incoming?.socket?.remoteAddress,
      protocolVersion: incoming?.httpVersion,
    })
    if (!traced) return next()
    const ownIndex = c.req.routeIndex
    try {
      await context.with(traced.context, next)
    } catch (error) {
      traced.end({ error })
      throw error
    }
    // routeIndex now points at the handler that answered; still ours when nothing matched (404).
    if (c.req.routeIndex !== ownIndex) traced.setRoute(c.req.routePath)
    const outgoing = nodeResponseOf(c.env)
    if (outgoing) {
      if (c.error !== undefined) traced.recordError(c.error)
      endWhenClosed(traced, outgoing, c.res)
    } else {
      traced.end({ response: c.res, status: c.res.status, error: c.error })
    }
  }
}
