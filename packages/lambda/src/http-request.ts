import { type HttpEvent, httpEventGetter } from './http-event-carrier'
import type { HttpEventV1, HttpEventV2 } from './lambda-events'

/** What the SERVER span needs from an HTTP-shaped event, whatever the trigger. */
export interface HttpRequestView {
  method: string
  /** Path and query as the client sent them. */
  target: string
  scheme: string
  /** From `requestContext.domainName` when no `host` header came. */
  host?: string
  clientAddress?: string
  protocolVersion?: string
  /** `http.route`, from API Gateway's route template. */
  route?: string
}

function firstHeader(event: HttpEvent, name: string): string | undefined {
  const value = httpEventGetter.get(event, name)
  return (typeof value === 'string' ? value : value?.[0])?.split(',')[0]?.trim() || undefined
}

const protocolVersion = (protocol: string | undefined) => protocol?.replace(/^HTTP\//i, '') || undefined

// REST API (1.0) query values arrive decoded and must be encoded again; ALB passes them on
// exactly as the client sent them (still percent-encoded).
function v1Query(event: HttpEventV1, encoded: boolean): string {
  const pairs: string[] = []
  const add = (key: string, value: string) =>
    pairs.push(encoded ? `${key}=${value}` : `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
  if (event.multiValueQueryStringParameters) {
    for (const [key, values] of Object.entries(event.multiValueQueryStringParameters)) {
      for (const value of values ?? []) add(key, value)
    }
  } else if (event.queryStringParameters) {
    for (const [key, value] of Object.entries(event.queryStringParameters)) if (value != null) add(key, value)
  }
  return pairs.length ? `?${pairs.join('&')}` : ''
}

function hostOf(event: HttpEvent, domainName: string | undefined): string | undefined {
  return httpEventGetter.get(event, 'host') === undefined ? domainName : undefined
}

/** API Gateway REST API (payload 1.0) and ALB events. */
export function requestViewV1(event: HttpEventV1, alb: boolean): HttpRequestView {
  const { requestContext } = event
  return {
    method: event.httpMethod,
    target: `${event.path}${v1Query(event, alb)}`,
    scheme: firstHeader(event, 'x-forwarded-proto') ?? 'https',
    host: hostOf(event, requestContext?.domainName),
    // Behind an ALB the client is the first X-Forwarded-For hop; API Gateway reports it itself.
    clientAddress: alb ? firstHeader(event, 'x-forwarded-for') : requestContext?.identity?.sourceIp,
    protocolVersion: protocolVersion(requestContext?.protocol),
    route: alb ? undefined : event.resource,
  }
}

/** API Gateway HTTP API (payload 2.0) and Function URL events. */
export function requestViewV2(event: HttpEventV2): HttpRequestView {
  const { requestContext, routeKey } = event
  // "GET /users/{id}", "ANY /{proxy+}" or "$default" (no route template).
  const space = routeKey?.indexOf(' ') ?? -1
  return {
    method: requestContext.http.method,
    target: event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath,
    scheme: firstHeader(event, 'x-forwarded-proto') ?? 'https',
    host: hostOf(event, requestContext.domainName),
    clientAddress: requestContext.http.sourceIp,
    protocolVersion: protocolVersion(requestContext.http.protocol),
    route: space > 0 ? routeKey?.slice(space + 1) : undefined,
  }
}
