import type { IncomingMessage, ServerResponse } from 'node:http'
import { incomingHeadersGetter, type ServerHandle, type ServerInstrumentation, safely } from '@otel-http/core'

// The handle of a request's SERVER span, kept on node's request itself: a second node layer for
// the same request (expressTracing inside a traceRequestListener server) joins it without reading
// the active context, and expressErrorTracing finds it. A slot, not a WeakMap entry (an ephemeron
// per request for the GC to trace); Symbol.for, so the ESM and CJS builds share it.
const HANDLE = Symbol.for('@otel-http/server request handle')
type Marked = IncomingMessage & { [HANDLE]?: ServerHandle<ServerResponse> }

/** The handle an otel-http layer started (or joined) for this request, if one did. */
export const handleOf = (req: IncomingMessage): ServerHandle<ServerResponse> | undefined =>
  (req as Marked)[HANDLE]

/**
 * Starts the SERVER span for a node:http request, or joins the one another node layer started
 * for the same request. `target` is the URL as received (Express rewrites `req.url` under a
 * mount path, so it passes `originalUrl`).
 */
export function startNodeRequest<Req>(
  instrumentation: ServerInstrumentation<Req, ServerResponse>,
  req: IncomingMessage,
  request: Req,
  target = req.url ?? '/',
): ServerHandle<ServerResponse> | undefined {
  const joined = (req as Marked)[HANDLE]
  if (joined) return joined
  const socket = req.socket as (IncomingMessage['socket'] & { encrypted?: boolean }) | undefined
  const authority = req.headers[':authority']
  const traced = instrumentation.start({
    method: req.method ?? 'GET',
    target,
    scheme: socket?.encrypted ? 'https' : 'http',
    request,
    headers: req.headers,
    getter: incomingHeadersGetter,
    host: typeof authority === 'string' ? authority : undefined,
    clientAddress: socket?.remoteAddress,
    protocolVersion: req.httpVersion,
    // The request's slot says whether another node layer traces it: no active context to read.
    joinsActive: false,
  })
  if (traced) (req as Marked)[HANDLE] = traced
  return traced
}

/**
 * Ends the span when the response closes: after it finished, or early (client gone, socket
 * destroyed) with `error.type`. `response` is what the response hook sees (default: `res`).
 * `routeOf(source)` reads the route the framework matched meanwhile: a reader shared by every
 * request and its source, so a request allocates no closure for it. Prepended, so an inner
 * layer that joined an outer one's span sets the route before the outer layer ends it.
 */
export function endWhenClosed<Res, S = undefined>(
  traced: ServerHandle<Res>,
  res: ServerResponse,
  response: Res = res as unknown as Res,
  routeOf?: (source: S) => string | undefined,
  source?: S,
): void {
  const end = () => {
    if (routeOf) {
      // A close listener that threw would be an uncaught exception: the framework read is guarded.
      const route = safely('reading the route', routeOf, undefined, source as S)
      if (route !== undefined) traced.setRoute(route)
    }
    const finished = res.writableFinished
    traced.end({
      response,
      status: finished || res.headersSent ? res.statusCode : undefined,
      closedEarly: !finished,
    })
  }
  // Closed already: the client left while the handler ran, before anything was written.
  if (res.closed) end()
  // A response emits 'close' once, and `end` is idempotent: no once-wrapper to allocate.
  else res.prependListener('close', end)
}

/**
 * The node response a fetch-style handler's `Response` will be written to, when a Node adapter
 * passes it along (@hono/node-server calls handlers with `{ incoming, outgoing }`): following
 * it ends the span when a streamed body has been sent, not when the `Response` object exists.
 */
export function nodeResponseOf(bindings: unknown): ServerResponse | undefined {
  const outgoing = (bindings as { outgoing?: Partial<ServerResponse> } | undefined)?.outgoing
  if (
    typeof outgoing?.prependListener === 'function' &&
    typeof outgoing.writableFinished === 'boolean' &&
    typeof outgoing.closed === 'boolean'
  ) {
    return outgoing as ServerResponse
  }
  return undefined
}
