import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServerInstrumentation, type ServerOptions } from '@otel-http/core'
import { endWhenClosed, startNodeRequest } from './node-request'
import { runInContext } from './run-in-context'
import { SCOPE } from './scope'

/** `ServerOptions` whose hooks see node's `IncomingMessage` and `ServerResponse`. */
export type RequestListenerOptions = ServerOptions<IncomingMessage, ServerResponse>

/**
 * Wraps a node:http / node:https request listener: each request is extracted, gets a SERVER
 * span that is active for the listener and everything it awaits, and the span ends when the
 * response closes. What the listener returns or throws reaches Node unchanged.
 *
 * @example
 * import http from 'node:http'
 * import { traceRequestListener } from '@otel-http/server'
 *
 * http.createServer(traceRequestListener((req, res) => res.end('ok'))).listen(3000)
 * // a public endpoint: new trace per request, linked to the caller's
 * http.createServer(traceRequestListener(listener, { trustIncoming: false }))
 */
export function traceRequestListener<Req extends IncomingMessage, Res extends ServerResponse<Req>>(
  listener: (req: Req, res: Res) => unknown,
  options: RequestListenerOptions = {},
): (req: Req, res: Res) => unknown {
  const instrumentation = createServerInstrumentation(options, SCOPE)
  return function tracedRequestListener(this: unknown, req: Req, res: Res) {
    const traced = startNodeRequest(instrumentation, req, req)
    if (!traced) return listener.call(this, req, res)
    endWhenClosed(traced, res)
    return runInContext(traced, listener, this, req, res)
  }
}
