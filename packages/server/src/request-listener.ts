import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServerInstrumentation, type ServerOptions } from '@otel-http/core'
import { endWhenClosed, startNodeRequest } from './node-request'
import { runInContext } from './run-in-context'
import { SCOPE } from './scope'

/** `ServerOptions` whose hooks see node's `IncomingMessage` and `ServerResponse`. */
export type TraceRequestListenerOptions = ServerOptions<IncomingMessage, ServerResponse>

/**
 * Wraps a node:http / node:https request listener: each request is extracted, gets a SERVER
 * span that is active for the listener and everything it awaits, and the span ends when the
 * response closes. What the listener returns or throws reaches Node unchanged. Any listener
 * fits, an Express or Koa `callback()` app included.
 *
 * @example
 * import http from 'node:http'
 * import { traceRequestListener } from '@otel-http/server'
 *
 * http.createServer(traceRequestListener((req, res) => res.end('ok'))).listen(3000)
 * // a public endpoint: new trace per request, linked to the caller's
 * http.createServer(traceRequestListener(listener, { trustIncoming: false }))
 */
export function traceRequestListener<L extends (req: IncomingMessage, res: ServerResponse) => unknown>(
  listener: L,
  options: TraceRequestListenerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => ReturnType<L> {
  const instrumentation = createServerInstrumentation(options, SCOPE)
  const call = listener as unknown as (req: IncomingMessage, res: ServerResponse) => ReturnType<L>
  return function tracedRequestListener(this: unknown, req: IncomingMessage, res: ServerResponse) {
    const traced = startNodeRequest(instrumentation, req, req)
    if (!traced) return call.call(this, req, res)
    endWhenClosed(traced, res)
    return runInContext(traced, call, this, req, res)
  }
}
