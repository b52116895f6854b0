import { createServerInstrumentation, type ServerOptions } from '@otel-http/core'
import { startFetchRequest } from './fetch-request'
import { endWhenClosed, nodeResponseOf } from './node-request'
import { runInContext } from './run-in-context'
import { SCOPE } from './scope'

/** `ServerOptions` whose hooks see the `Request` and the `Response`. */
export type TraceFetchHandlerOptions = ServerOptions<Request, Response>

/**
 * Wraps a fetch-style handler (Bun, Deno, Cloudflare Workers, Next.js route handlers, Hono's
 * `app.fetch`): the request is extracted, a SERVER span is active for the handler and
 * everything it awaits, and ends when the handler's `Response` is ready (a streamed body may
 * still be flowing) or, served through @hono/node-server, when the response has been sent or
 * the client left. Extra arguments (`env`, `ctx`) and `this` are passed through.
 *
 * @example
 * import { traceFetchHandler } from '@otel-http/server'
 *
 * export default {
 *   fetch: traceFetchHandler((request: Request) => new Response('ok')),
 * }
 */
export function traceFetchHandler<Rest extends unknown[]>(
  handler: (request: Request, ...rest: Rest) => Response | Promise<Response>,
  options: TraceFetchHandlerOptions = {},
): (request: Request, ...rest: Rest) => Promise<Response> {
  const instrumentation = createServerInstrumentation(options, SCOPE)
  return async function tracedFetchHandler(this: unknown, request: Request, ...rest: Rest) {
    const traced = startFetchRequest(instrumentation, request, request)
    if (!traced) return handler.call(this, request, ...rest)
    try {
      const response = await runInContext(traced, handler, this, request, ...rest)
      const outgoing = nodeResponseOf(rest[0])
      if (outgoing) endWhenClosed(traced, outgoing, response)
      else traced.end({ response, status: response.status })
      return response
    } catch (error) {
      traced.end({ error })
      throw error
    }
  }
}
