import {
  type Attributes,
  type Context,
  context,
  createContextKey,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapPropagator,
  trace,
} from '@opentelemetry/api'
import { compileInboundBaggage } from '../policy/inbound-baggage'
import { compilePathMatch } from '../policy/path-matcher'
import type { InstrumentationScope } from './client-instrumentation'
import { normalizeMethod } from './http-attributes'
import { recordError } from './record-error'
import { safely } from './safely'
import type { ServerOptions, ServerRequestInfo } from './server-options'

// Set in the context a handler runs in, so a second otel-http layer for the same request
// (expressTracing inside a traceRequestListener server) joins the span instead of starting one.
const SERVER_REQUEST = createContextKey('@otel-http/core server request')

// W3C Baggage caps a header at 8192 bytes; no valid traceparent or tracestate comes near it.
// Anything longer is dropped before the propagator sees it, so its parse cost stays bounded.
const MAX_CONTEXT_HEADER = 8192

/** What `start` needs beyond the request info: the headers and how to read them. */
export interface ServerRequestStart<Req = unknown, C = unknown> extends ServerRequestInfo<Req> {
  headers: C
  getter: TextMapGetter<C>
  /** `host:port` when it does not come from a `host` header (HTTP/2 `:authority`, a `Request` URL). */
  host?: string
  /** Peer address of the connection (`client.address`). */
  clientAddress?: string
  /** HTTP version as received (`1.1`, `2`). */
  protocolVersion?: string
  /** Extra attributes for the span. */
  attributes?: Attributes
}

/** How a request ended. */
export interface ServerOutcome<Res = unknown> {
  response?: Res
  status?: number
  /** The handler threw or rejected with this. */
  error?: unknown
  /** The connection closed before the response finished. */
  closedEarly?: boolean
}

/** One traced incoming request, as seen by the adapter serving it. */
export interface ServerRequest<Res = unknown> {
  readonly span: Span
  /** The context to run the handler in: the SERVER span and the accepted baggage. */
  readonly context: Context
  /** Sets `http.route` and renames the span `METHOD route`. */
  setRoute(route: string): void
  /**
   * Records a thrown error (exception event, status ERROR) without ending the span. An error
   * carrying a 4xx `status`/`statusCode` is a client-error response and is not recorded.
   */
  recordError(error: unknown): void
  /** Records the outcome and ends the span; later calls do nothing. */
  end(outcome: ServerOutcome<Res>): void
}

export interface ServerInstrumentation<Req = unknown, Res = unknown> {
  /**
   * Extracts the caller's context and starts the SERVER span. Undefined when the request is
   * ignored. When another otel-http layer already traces this request (its context is active),
   * returns that layer's request so both share one span.
   */
  start<C>(info: ServerRequestStart<Req, C>): ServerRequest<Res> | undefined
}

const boundedGetters = new WeakMap<TextMapGetter<unknown>, TextMapGetter<unknown>>()

function bounded<C>(getter: TextMapGetter<C>): TextMapGetter<C> {
  let wrapped = boundedGetters.get(getter as TextMapGetter<unknown>)
  if (!wrapped) {
    const inner = getter as TextMapGetter<unknown>
    wrapped = {
      keys: (carrier) => inner.keys(carrier),
      get(carrier, key) {
        const value = inner.get(carrier, key)
        if (value === undefined) return undefined
        if (typeof value === 'string') return value.length > MAX_CONTEXT_HEADER ? undefined : value
        return value.join(',').length > MAX_CONTEXT_HEADER ? undefined : value
      },
    }
    boundedGetters.set(inner, wrapped)
  }
  return wrapped as TextMapGetter<C>
}

// Frameworks throw errors carrying a 4xx status (Koa's `ctx.throw(404)`, Fastify's validation
// errors) to send a client-error response: not a failure of this server (HTTP semconv).
function isClientError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown }
  const code = typeof status === 'number' ? status : statusCode
  return typeof code === 'number' && code >= 400 && code < 500
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 }

function setHostAttributes(attributes: Attributes, host: string, scheme: string | undefined): void {
  // "example.com", "example.com:8080", "[::1]:8080"
  const close = host.startsWith('[') ? host.indexOf(']') : -1
  const colon = host.indexOf(':', close + 1)
  const address = close > 0 ? host.slice(1, close) : colon === -1 ? host : host.slice(0, colon)
  if (address) attributes['server.address'] = address
  const port = colon === -1 ? (scheme ? DEFAULT_PORTS[scheme] : undefined) : Number(host.slice(colon + 1))
  if (port !== undefined && Number.isInteger(port) && port > 0) attributes['server.port'] = port
}

function headerValue<C>(getter: TextMapGetter<C>, headers: C, key: string): string | undefined {
  const value = getter.get(headers, key)
  return typeof value === 'string' ? value : value?.[0]
}

/**
 * The one SERVER-span implementation behind every server adapter. Options are compiled once
 * here; `start` is the per-request hot path.
 *
 * Extraction always starts from the root context, never the active one: an inbound request is
 * a new unit of work, and an untrusted caller must not inherit whatever happens to be active.
 * For the same reason `isTracingSuppressed` does not apply: suppression is a property of the
 * process's own outgoing calls, and no caller can switch our tracing off.
 */
export function createServerInstrumentation<Req = unknown, Res = unknown>(
  options: ServerOptions<Req, Res> = {},
  scope: InstrumentationScope,
): ServerInstrumentation<Req, Res> {
  const {
    tracerProvider,
    propagator = propagation as unknown as TextMapPropagator,
    trustIncoming = true,
    spanName,
    requestHook,
    responseHook,
  } = options
  const tracer = (tracerProvider ?? trace).getTracer(scope.name, scope.version)
  const ignored = compilePathMatch(options.ignore)
  const filterBaggage = compileInboundBaggage(options.acceptBaggage)

  function nameOf(method: string, route: string | undefined, request: Req): string {
    const fallback = method === '_OTHER' ? 'HTTP' : method
    const name = route === undefined ? fallback : `${fallback} ${route}`
    if (spanName === undefined) return name
    if (typeof spanName === 'string') return spanName
    return safely('spanName', () => spanName({ method, route, request }), name)
  }

  function start<C>(info: ServerRequestStart<Req, C>): ServerRequest<Res> | undefined {
    const existing = context.active().getValue(SERVER_REQUEST) as ServerRequest<Res> | undefined
    if (existing) return existing
    const { request, target, scheme, headers } = info
    const query = target.indexOf('?')
    const path = query === -1 ? target : target.slice(0, query)
    if (ignored && safely('ignore', () => ignored(path, request), false)) return undefined

    const getter = bounded(info.getter)
    const trusted =
      typeof trustIncoming === 'boolean'
        ? trustIncoming
        : safely('trustIncoming', () => trustIncoming(request), false)
    const extracted = safely('extract', () => propagator.extract(ROOT_CONTEXT, headers, getter), ROOT_CONTEXT)

    let parent: Context = ROOT_CONTEXT
    let links: Link[] | undefined
    if (trusted) {
      parent = extracted
    } else {
      const caller = trace.getSpanContext(extracted)
      if (caller && trace.isSpanContextValid(caller)) {
        // The link keeps the caller's ids for correlation; its tracestate is theirs, not ours.
        links = [
          { context: { traceId: caller.traceId, spanId: caller.spanId, traceFlags: caller.traceFlags } },
        ]
      }
    }
    const inboundBaggage = propagation.getBaggage(extracted)
    const baggage = inboundBaggage && filterBaggage(inboundBaggage, trusted)
    // A trusted caller's baggage kept whole is in `parent` already: no context copy to set it again.
    if (baggage) {
      if (parent !== extracted || baggage !== inboundBaggage) parent = propagation.setBaggage(parent, baggage)
    } else if (propagation.getBaggage(parent)) parent = propagation.deleteBaggage(parent)

    const { method, original } = normalizeMethod(info.method)
    const attributes: Attributes = { ...info.attributes, 'http.request.method': method, 'url.path': path }
    if (original !== undefined) attributes['http.request.method_original'] = original
    if (query !== -1 && query < target.length - 1) attributes['url.query'] = target.slice(query + 1)
    if (scheme) attributes['url.scheme'] = scheme
    const host = info.host ?? headerValue(info.getter, headers, 'host')
    if (host) setHostAttributes(attributes, host, scheme)
    if (info.clientAddress) attributes['client.address'] = info.clientAddress
    const userAgent = headerValue(info.getter, headers, 'user-agent')
    if (userAgent) attributes['user_agent.original'] = userAgent
    if (info.protocolVersion) attributes['network.protocol.version'] = info.protocolVersion

    const span = tracer.startSpan(
      nameOf(method, undefined, request),
      { kind: SpanKind.SERVER, attributes, links },
      parent,
    )
    if (requestHook) safely('requestHook', () => requestHook({ span, request }), undefined)

    const traced = new TracedServerRequest<Req, Res>(span, method, request, nameOf, responseHook)
    traced.context = trace.setSpan(parent, span).setValue(SERVER_REQUEST, traced)
    return traced
  }

  return { start }
}

class TracedServerRequest<Req, Res> implements ServerRequest<Res> {
  context: Context = ROOT_CONTEXT
  private ended = false
  private failed = false

  constructor(
    readonly span: Span,
    private readonly method: string,
    private readonly request: Req,
    private readonly nameOf: (method: string, route: string | undefined, request: Req) => string,
    private readonly responseHook: ServerOptions<Req, Res>['responseHook'],
  ) {}

  setRoute(route: string): void {
    if (this.ended || !route) return
    this.span.setAttribute('http.route', route)
    this.span.updateName(this.nameOf(this.method, route, this.request))
  }

  recordError(error: unknown): void {
    if (this.ended || this.failed || isClientError(error)) return
    this.failed = true
    const { span } = this
    safely('recording the error', () => recordError(span, error), undefined)
  }

  end({ response, status, error, closedEarly }: ServerOutcome<Res>): void {
    if (this.ended) return
    if (error !== undefined) this.recordError(error)
    this.ended = true
    const { span, request, responseHook } = this
    safely(
      'ending the server span',
      () => {
        if (status !== undefined && status > 0) {
          span.setAttribute('http.response.status_code', status)
          if (status >= 500 && !this.failed) {
            span.setAttribute('error.type', String(status))
            span.setStatus({ code: SpanStatusCode.ERROR })
          }
        }
        if (closedEarly && !this.failed) {
          span.setAttribute('error.type', 'connection_closed')
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: 'the connection closed before the response finished',
          })
        }
        if (responseHook) {
          safely('responseHook', () => responseHook({ span, request, response, status, error }), undefined)
        }
      },
      undefined,
    )
    span.end()
  }
}
