import { fetchHeadersGetter, type ServerHandle, type ServerInstrumentation } from '@otel-http/core'

/**
 * Starts (or joins) the SERVER span for a Fetch API `Request`. Reads scheme, host and target
 * straight from the absolute `request.url` instead of constructing a `URL` per request.
 */
export function startFetchRequest<Req, Res>(
  instrumentation: ServerInstrumentation<Req, Res>,
  raw: Request,
  request: Req,
  extra?: { clientAddress?: string; protocolVersion?: string },
): ServerHandle<Res> | undefined {
  const url = raw.url
  const colon = url.indexOf(':')
  const hostStart = url.startsWith('//', colon + 1) ? colon + 3 : colon + 1
  let pathStart = hostStart
  while (pathStart < url.length && url[pathStart] !== '/' && url[pathStart] !== '?') pathStart++
  const rest = url.slice(pathStart)
  const hash = rest.indexOf('#')
  const target = hash === -1 ? rest : rest.slice(0, hash)
  return instrumentation.start({
    method: raw.method,
    target: target.startsWith('/') ? target : `/${target}`,
    scheme: colon > 0 ? url.slice(0, colon) : undefined,
    host: url.slice(hostStart, pathStart) || undefined,
    request,
    headers: raw.headers,
    getter: fetchHeadersGetter,
    clientAddress: extra?.clientAddress,
    protocolVersion: extra?.protocolVersion,
  })
}
