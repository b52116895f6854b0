import type { IncomingMessage, ServerResponse } from 'node:http'
import { incomingHeadersGetter, type ServerInstrumentation, type ServerRequest } from '@otel-http/core'

/**
 * Starts (or joins) the SERVER span for a node:http request. `target` is the URL as received
 * (Express rewrites `req.url` under a mount path, so it passes `originalUrl`).
 */
export function startNodeRequest<Req>(
  instrumentation: ServerInstrumentation<Req, ServerResponse>,
  req: IncomingMessage,
  request: Req,
  target = req.url ?? '/',
): ServerRequest<ServerResponse> | undefined {
  const socket = req.socket as (IncomingMessage['socket'] & { encrypted?: boolean }) | undefined
  const authority = req.headers[':authority']
  return instrumentation.start({
    method: req.method ?? 'GET',
    target,
    scheme: socket?.encrypted ? 'https' : 'http',
    request,
    headers: req.headers,
    getter: incomingHeadersGetter,
    host: typeof authority === 'string' ? authority : undefined,
    clientAddress: socket?.remoteAddress,
    protocolVersion: req.httpVersion,
  })
}

/**
 * Ends the span when the response closes: after it finished, or early (client gone, socket
 * destroyed) with `error.type`. `beforeEnd` reads what the framework learnt meanwhile (the
 * route). Prepended, so an inner layer that joined an outer one's span sets the route before
 * the outer layer ends it.
 */
export function endWhenClosed(
  traced: ServerRequest<ServerResponse>,
  res: ServerResponse,
  beforeEnd?: () => void,
): void {
  res.prependOnceListener('close', () => {
    if (beforeEnd) beforeEnd()
    const finished = res.writableFinished
    traced.end({
      response: res,
      status: finished || res.headersSent ? res.statusCode : undefined,
      closedEarly: !finished,
    })
  })
}
