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
  trace,
} from '@opentelemetry/api'
import { copyHeaderRecord } from '../carriers/record-carrier'
import { compileInboundBaggage } from '../policy/inbound-baggage'
import { compilePathMatch } from '../policy/path-matcher'
import { compileOptions, type InstrumentationScope } from './compile-options'
import { reportThrown, safely } from './guard'
import { normalizeMethod, serverErrorType } from './http-attributes'
import { compileServerMetrics, type ServerMeasurement } from './http-metrics'
import { layerValue } from './layered-context'
import { RequestHandle, type RequestOutcome } from './request-handle'
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
  /**
   * Whether a handle active in the current context is joined (default `true`). `false` from an
   * adapter that finds the other layers of the same request itself (a slot on the request): the
   * active context is then not read.
   */
  joinsActive?: boolean
}

/**
 * One traced incoming request: the request handle plus what only a server knows, its route.
 *
 * @example
 * const handle = instrumentation.start({ method, target, request, headers, getter })
 * router.on('match', (route) => handle?.setRoute(route)) // span "GET /users/:id"
 * response.on('close', () => handle?.end({ status: response.statusCode }))
 */
export class ServerHandle<Res = unknown> extends RequestHandle<Res> {
  /** The context to run the handler in: the SERVER span, the accepted baggage, this handle. */
  override readonly context: Context

  constructor(
    span: Span | undefined,
    parent: Context,
    private readonly compiled: CompiledServer<unknown, Res>,
    private readonly method: string,
    private readonly target: string,
    private readonly request: unknown,
    private readonly routed?: ServerMeasurement,
  ) {
    super(span, parent, undefined, routed)
    // Two entries set in a row: layered, so no context map is copied for the first.
    const withHandle = layerValue(parent, SERVER_REQUEST, this)
    this.context = span ? trace.setSpan(withHandle, span) : withHandle
  }

  protected override recordOutcome(span: Span, outcome: RequestOutcome<Res>, failed: boolean): void {
    const { status, closedEarly } = outcome
    if (status !== undefined && status > 0) span.setAttribute('http.response.status_code', status)
    // A failure the handler threw is recorded already; otherwise the outcome's own error type
    // (a connection closed early, a 5xx), the one the metrics record too.
    const type = failed ? undefined : serverErrorType(outcome, undefined)
    if (type !== undefined) {
      span.setAttribute('error.type', type)
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: closedEarly ? 'the connection closed before the response finished' : undefined,
      })
    }
    const { responseHook } = this.compiled
    if (responseHook) {
      const { method, target, request } = this
      const { response, error } = outcome
      safely(
        'responseHook',
        () => responseHook({ span, method, target, request, response, status, error }),
        undefined,
      )
    }
  }

  /** Sets `http.route` (on the span and the metrics) and renames the span `METHOD route`. */
  setRoute(route: string): void {
    if (!route) return
    this.routed?.setRoute(route)
    const { span } = this
    if (!span) return
    // Guarded inline (as `safely` would): no closure per request.
    try {
      if (!span.isRecording()) return
      span.setAttribute('http.route', route)
      span.updateName(this.compiled.nameOf(this.method, route, this.request))
    } catch (error) {
      reportThrown('setting the route', error)
    }
  }

  /**
   * Records a thrown error without ending the span. An error carrying a 4xx `status` or
   * `statusCode` is a client-error response (Koa's `ctx.throw(404)`), not a server failure.
   */
  override recordError(error: unknown): void {
    if (!isClientError(error)) super.recordError(error)
  }
}

/**
 * What `createServerInstrumentation` returns: `start` per incoming request.
 *
 * @example
 * const http: ServerInstrumentation<IncomingMessage> = createServerInstrumentation({}, scope)
 * const handle = http.start({ method: req.method ?? 'GET', target: req.url ?? '/', request: req, headers: req.headers, getter: incomingHeadersGetter })
 */
export interface ServerInstrumentation<Req = unknown, Res = unknown> {
  /**
   * Extracts the caller's context and starts the SERVER span. Undefined when the request is
   * ignored. When another otel-http layer already traces this request (its context is active),
   * returns that layer's handle so both share one span. Never throws.
   */
  start<C>(info: ServerRequestStart<Req, C>): ServerHandle<Res> | undefined
}

/** What every handle of one server instrumentation shares: compiled once, read per request. */
interface CompiledServer<Req, Res> {
  nameOf(method: string, route: string | undefined, request: Req): string
  responseHook: ServerOptions<Req, Res>['responseHook']
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
        if (!Array.isArray(value)) return undefined
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

/** The link an untrusted caller's request gets: its ids for correlation; its tracestate is theirs, not ours. */
function callerLink(extracted: Context): Link[] | undefined {
  const caller = trace.getSpanContext(extracted)
  if (!caller || !trace.isSpanContextValid(caller)) return undefined
  const { traceId, spanId, traceFlags } = caller
  return [{ context: { traceId, spanId, traceFlags, isRemote: true } }]
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
  let value: string | string[] | undefined
  try {
    value = getter.get(headers, key)
  } catch (error) {
    // Inline rather than through `safely`: no closure per header read.
    reportThrown(`reading the ${key} header`, error)
    return undefined
  }
  return typeof value === 'string' ? value : Array.isArray(value) ? value[0] : undefined
}

/**
 * The one SERVER-span implementation behind every server adapter. Options are compiled once
 * here; `start` is the per-request hot path.
 *
 * Extraction always starts from the root context, never the active one: an inbound request is
 * a new unit of work, and an untrusted caller must not inherit whatever happens to be active.
 * For the same reason suppression does not apply: it is a property of the process's own
 * outgoing calls, and no caller can switch our tracing off.
 *
 * @example
 * const http = createServerInstrumentation(options, { name: '@my/server', version: '1.0.0' })
 * const handle = http.start({ method, target, request, headers, getter: recordGetter })
 * await context.with(handle?.context ?? context.active(), handler)
 * handle?.end({ status: 200 })
 */
export function createServerInstrumentation<Req = unknown, Res = unknown>(
  options: ServerOptions<Req, Res> = {},
  scope: InstrumentationScope,
): ServerInstrumentation<Req, Res> {
  const { trustIncoming = true, spanName, requestHook, responseHook } = options
  const { extract, startSpan } = compileOptions(options, scope)
  const ignored = compilePathMatch(options.ignore)
  const filterBaggage = compileInboundBaggage(options.acceptBaggage)
  const httpMetrics = compileServerMetrics(options, scope)

  function nameOf(method: string, route: string | undefined, request: Req): string {
    const fallback = method === '_OTHER' ? 'HTTP' : method
    const name = route === undefined ? fallback : `${fallback} ${route}`
    if (spanName === undefined) return name
    if (typeof spanName === 'string') return spanName
    return safely('spanName', () => spanName({ method, route, request }), name)
  }

  const compiled: CompiledServer<Req, Res> = { nameOf, responseHook }

  /** The caller's context (trusted) or a new root (untrusted), with the baggage the policy keeps. */
  function parentOf(extracted: Context, trusted: boolean): Context {
    let parent = trusted ? extracted : ROOT_CONTEXT
    const inbound = propagation.getBaggage(extracted)
    const baggage = inbound && safely('acceptBaggage', filterBaggage, undefined, inbound, trusted)
    // A trusted caller's baggage kept whole is in `parent` already: no context copy to set it again.
    if (baggage) {
      if (parent !== extracted || baggage !== inbound) parent = propagation.setBaggage(parent, baggage)
    } else if (propagation.getBaggage(parent)) parent = propagation.deleteBaggage(parent)
    return parent
  }

  function start<C>(info: ServerRequestStart<Req, C>): ServerHandle<Res> | undefined {
    if (info.joinsActive !== false) {
      const existing = context.active().getValue(SERVER_REQUEST)
      if (existing instanceof ServerHandle) return existing as ServerHandle<Res>
    }
    const { request, target, scheme, headers, getter } = info
    const query = target.indexOf('?')
    const path = query === -1 ? target : target.slice(0, query)
    if (ignored && safely('ignore', ignored, false, path, request)) return undefined

    const trusted =
      typeof trustIncoming === 'boolean'
        ? trustIncoming
        : safely('trustIncoming', trustIncoming, false, request)
    // A propagator that throws or breaks its contract (returns no Context) restarts the trace.
    const extracted = extract(headers, bounded(getter))
    const parent = parentOf(extracted, trusted)
    const links = trusted ? undefined : callerLink(extracted)

    const { method, original } = normalizeMethod(info.method)
    // Without extra attributes (every server adapter; Lambda adds its own), a literal: V8 builds it
    // with its first keys in place (≈ 800 instructions a request less than filling `{}` on Node 20).
    let attributes: Attributes
    if (info.attributes) {
      attributes = copyHeaderRecord(info.attributes)
      attributes['http.request.method'] = method
      attributes['url.path'] = path
    } else attributes = { 'http.request.method': method, 'url.path': path }
    if (original !== undefined) attributes['http.request.method_original'] = original
    if (query !== -1 && query < target.length - 1) attributes['url.query'] = target.slice(query + 1)
    if (scheme) attributes['url.scheme'] = scheme
    const host = info.host ?? headerValue(getter, headers, 'host')
    if (host) setHostAttributes(attributes, host, scheme)
    if (info.clientAddress) attributes['client.address'] = info.clientAddress
    const userAgent = headerValue(getter, headers, 'user-agent')
    if (userAgent) attributes['user_agent.original'] = userAgent
    if (info.protocolVersion) attributes['network.protocol.version'] = info.protocolVersion

    const span = startSpan(
      nameOf(method, undefined, request),
      { kind: SpanKind.SERVER, attributes, links },
      parent,
    )
    if (span && requestHook) {
      safely('requestHook', () => requestHook({ span, method, target, request }), undefined)
    }
    // The request info has the method as received, which the metrics normalise as the span did.
    const measurement = httpMetrics.start(info)
    return new ServerHandle<Res>(
      span,
      parent,
      compiled as CompiledServer<unknown, Res>,
      method,
      target,
      request,
      measurement,
    )
  }

  return { start: (info) => safely('starting the server span', start, undefined, info) }
}
