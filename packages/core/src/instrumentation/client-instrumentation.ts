import { type Attributes, type Context, context, createContextKey, SpanKind, trace } from '@opentelemetry/api'
import { pageOrigin } from '../policy/page-origin'
import { compilePropagateTo } from '../policy/propagation-targets'
import { isTracingSuppressed } from '../policy/suppress-tracing'
import { compileUrlMatch } from '../policy/url-matcher'
import { ClientHandle, type CompiledClient } from './client-handle'
import type { ClientOptions, ClientRequestInfo } from './client-options'
import { compileOptions, type InstrumentationScope } from './compile-options'
import { withCorsHint } from './cors-hint'
import { safely } from './guard'
import { normalizeMethod, redactedUrl, serverPort } from './http-attributes'
import { compileClientMetrics } from './http-metrics'
import { compileInjector } from './inject-context'
import { layerValue } from './layered-context'
import { type Injector, type Measurement, OutboundHandle } from './request-handle'

// Set in the context a transport runs in once an adapter has started a span for the request,
// so a second otel-http layer below it (tracedFetch over a traced undici Agent) does not
// start another span or inject again: one request, one span.
const CLIENT_REQUEST = createContextKey('@otel-http/core client request')
// Set when a layer measures the request without a span, so a layer below records no second
// measurement (it may still start the span the layer above did not).
const CLIENT_MEASURED = createContextKey('@otel-http/core client measured')

/** What an adapter passes to {@link ClientInstrumentation.start}. */
export interface ClientRequestStart<Req = unknown> {
  /** The method as the caller gave it (upper-cased). */
  method: string
  /**
   * Parses the request URL; undefined when it cannot be parsed (the request is then left alone).
   * Called at most once, and only when something needs the URL: with `spans: false` and the
   * default `propagateTo` and `ignore`, nothing does, and a request costs no URL parse.
   */
  url: () => URL | undefined
  request: Req
}

export interface ClientInstrumentation<Req = unknown, Res = unknown> {
  /**
   * Starts tracing a request in the active context. Undefined when the request is left alone:
   * ignored, URL unparseable, or another otel-http layer already traces it. When tracing is
   * suppressed, a handle that neither traces, injects nor measures. Never throws.
   */
  start(request: ClientRequestStart<Req>): OutboundHandle<Res> | undefined
}

/**
 * The one CLIENT-span implementation behind every client adapter. Options are compiled once
 * here; `start` is the per-request hot path.
 *
 * @example
 * const http = createClientInstrumentation(options, { name: '@my/client', version: '1.0.0' })
 * const handle = http.start({ method: 'GET', url: () => new URL(href), request })
 * if (handle) handle.inject(headers, recordSetter)
 * // … when the response arrives (or the request fails):
 * handle?.end({ status: 200 })
 */
export function createClientInstrumentation<Req = unknown, Res = unknown>(
  options: ClientOptions<Req, Res> = {},
  scope: InstrumentationScope,
): ClientInstrumentation<Req, Res> {
  const { spans = true, spanName, requestHook, responseHook } = options
  const { propagator, startSpan } = compileOptions(options, scope)
  const injector = compileInjector(propagator, options.baggage)
  // Read once: a page's origin does not change, and outside a page there is none.
  const page = pageOrigin()
  const mayPropagate = compilePropagateTo(options.propagateTo, page)
  const ignoreOption = options.ignore
  const ignored =
    typeof ignoreOption === 'function'
      ? ignoreOption
      : ignoreOption
        ? compileUrlMatch(ignoreOption, page)
        : undefined
  const httpMetrics = compileClientMetrics(options, scope)

  const injectorFor = (url: URL | undefined) =>
    !mayPropagate || (url && safely('propagateTo', mayPropagate, false, url)) ? injector : undefined
  // Only a `propagateTo` makes one destination differ from another (a redirect hop's check).
  const injectorAt = mayPropagate ? injectorFor : undefined

  const compiled: CompiledClient<Req, Res> = { responseHook }

  /** Without a span: the caller's context is injected unchanged; only the metrics, if any, end. */
  function withoutSpan(
    parent: Context,
    injectWith: Injector | undefined,
    measurement: Measurement<Res> | undefined,
    injectorAt?: (url: URL) => Injector | undefined,
  ): OutboundHandle<Res> {
    if (!measurement) return new OutboundHandle(undefined, parent, undefined, injectWith, parent, injectorAt)
    const marked = layerValue(parent, CLIENT_MEASURED, true)
    return new OutboundHandle(undefined, marked, undefined, injectWith, parent, injectorAt, measurement)
  }

  // Built only for a hook that reads it: a request without hooks allocates none.
  const infoOf = (request: ClientRequestStart<Req>, url: URL): ClientRequestInfo<Req> => ({
    method: request.method,
    url,
    request: request.request,
  })

  function start(request: ClientRequestStart<Req>): OutboundHandle<Res> | undefined {
    const parent = context.active()
    if (parent.getValue(CLIENT_REQUEST) !== undefined) return undefined
    // An exporter's own request (suppressed), as for every kind: a handle that neither traces,
    // injects nor measures.
    if (isTracingSuppressed(parent)) return new OutboundHandle(undefined, parent, undefined, undefined)
    const measure = parent.getValue(CLIENT_MEASURED) === undefined
    // `spans: false`: no URL is parsed unless the request is measured, and then only when it ends.
    if (!spans && !ignored && !mayPropagate) {
      // The measurement parses the URL, guarded, only when it records.
      return withoutSpan(
        parent,
        injector,
        measure ? httpMetrics.start(request.method, request.url) : undefined,
      )
    }

    const url = safely('parsing the request URL', request.url, undefined)
    if (url === undefined) return undefined
    if (ignored && safely('ignore', ignored, false, url, request.request)) return undefined
    const measurement = measure ? httpMetrics.start(request.method, () => url) : undefined
    if (!spans) return withoutSpan(parent, injectorFor(url), measurement, injectorAt)

    const { method, original } = normalizeMethod(request.method)
    const attributes: Attributes = {
      'http.request.method': method,
      'url.full': redactedUrl(url),
      'server.address': url.hostname,
      'server.port': serverPort(url),
    }
    if (original !== undefined) attributes['http.request.method_original'] = original
    const fallbackName = method === '_OTHER' ? 'HTTP' : method
    const name =
      spanName === undefined
        ? fallbackName
        : typeof spanName === 'string'
          ? spanName
          : safely('spanName', spanName, fallbackName, infoOf(request, url))
    const span = startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent)
    // The tracer threw: the request goes out with the caller's context, as with `spans: false`.
    if (!span) return withoutSpan(parent, injectorFor(url), measurement, injectorAt)
    // The marker and the span in one layer over the caller's context, no map copied; the
    // carriers get it too (a propagator reads the span and the baggage, never the marker).
    const spanContext: Context = trace.setSpan(layerValue(parent, CLIENT_REQUEST, span), span)
    if (requestHook) {
      const info = infoOf(request, url)
      safely('requestHook', () => requestHook({ span, ...info }), undefined)
    }
    const injectWith = injectorFor(url)
    const hint = withCorsHint<Res>(url, injectWith, page)
    return new ClientHandle(
      span,
      spanContext,
      hint ? hint.inject : injectWith,
      spanContext,
      injectorAt,
      measurement,
      compiled,
      request.method,
      url,
      request.request,
      hint?.explain,
    )
  }

  return { start: (request) => safely('starting the client span', start, undefined, request) }
}
