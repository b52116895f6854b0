import {
  type Attributes,
  type Context,
  context,
  createContextKey,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapPropagator,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api'
import { isTracingSuppressed } from '@opentelemetry/core'
import { compileOutboundBaggage } from '../policy/outbound-baggage'
import { compilePropagateTo } from '../policy/propagation-targets'
import { compileUrlMatch } from '../policy/url-matcher'
import type { ClientOptions, ClientRequestInfo } from './client-options'
import { withCorsHint } from './cors-hint'
import { normalizeMethod, redactedUrl, serverPort } from './http-attributes'
import { injectContext } from './inject-context'
import { recordError } from './record-error'
import { safely } from './safely'

// Set in the context a transport runs in once an adapter has started a span for the request,
// so a second otel-http layer below it (tracedFetch over a traced undici Agent) does not
// start another span or inject again: one request, one span.
const CLIENT_REQUEST = createContextKey('@otel-http/core client request')

/** One traced outgoing request, as seen by the adapter making it. */
export interface ClientCall<Res = unknown> {
  /** The CLIENT span, or undefined with `spans: false`. */
  readonly span: Span | undefined
  /** The context to run the transport in. */
  readonly context: Context
  /** Writes trace headers and baggage into `carrier` when `propagateTo` allows this URL. */
  inject<C>(carrier: C, setter: TextMapSetter<C>): void
  /** Records the outcome and ends the span; later calls do nothing. */
  end(outcome: { response?: Res; status?: number; error?: unknown }): void
}

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
   * Starts tracing a request in the active context. Undefined when there is nothing to do:
   * tracing suppressed, request ignored, URL unparseable, or another otel-http layer already
   * traces it.
   */
  start(request: ClientRequestStart<Req>): ClientCall<Res> | undefined
}

export interface InstrumentationScope {
  name: string
  version?: string
}

/**
 * The one CLIENT-span implementation behind every client adapter. Options are compiled once
 * here; `start` is the per-request hot path.
 */
export function createClientInstrumentation<Req = unknown, Res = unknown>(
  options: ClientOptions<Req, Res> = {},
  scope: InstrumentationScope,
): ClientInstrumentation<Req, Res> {
  const {
    tracerProvider,
    propagator = propagation as unknown as TextMapPropagator,
    spans = true,
    spanName,
    requestHook,
    responseHook,
  } = options
  const tracer = (tracerProvider ?? trace).getTracer(scope.name, scope.version)
  const mayPropagate = compilePropagateTo(options.propagateTo)
  const ignoreOption = options.ignore
  const ignored =
    typeof ignoreOption === 'function'
      ? ignoreOption
      : ignoreOption
        ? compileUrlMatch(ignoreOption, false)
        : undefined
  const filterBaggage = compileOutboundBaggage(options.baggage)

  function injectInto<C>(ctx: Context, url: URL | undefined, carrier: C, setter: TextMapSetter<C>): void {
    if (mayPropagate && !(url && safely('propagateTo', () => mayPropagate(url), false))) return
    safely('inject', () => injectContext(propagator, filterBaggage, ctx, carrier, setter), undefined)
  }

  /** `spans: false`: the caller's context is injected unchanged and there is nothing to end. */
  function injectOnly(parent: Context, url: URL | undefined): ClientCall<Res> {
    return {
      span: undefined,
      context: parent,
      inject: (carrier, setter) => injectInto(parent, url, carrier, setter),
      end: () => {},
    }
  }

  function start(request: ClientRequestStart<Req>): ClientCall<Res> | undefined {
    const parent = context.active()
    if (isTracingSuppressed(parent) || parent.getValue(CLIENT_REQUEST) !== undefined) return undefined
    if (!spans && !ignored && !mayPropagate) return injectOnly(parent, undefined)

    const url = safely('parsing the request URL', request.url, undefined)
    if (url === undefined) return undefined
    const info: ClientRequestInfo<Req> = { method: request.method, url, request: request.request }
    if (ignored && safely('ignore', () => ignored(url, info.request), false)) return undefined

    if (!spans) return injectOnly(parent, url)

    const { method, original } = normalizeMethod(info.method)
    const attributes: Attributes = {
      'http.request.method': method,
      'url.full': redactedUrl(info.url),
      'server.address': info.url.hostname,
      'server.port': serverPort(info.url),
    }
    if (original !== undefined) attributes['http.request.method_original'] = original
    const name =
      spanName === undefined
        ? method === '_OTHER'
          ? 'HTTP'
          : method
        : typeof spanName === 'string'
          ? spanName
          : safely('spanName', () => spanName(info), method)
    const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent)
    const spanContext = trace.setSpan(parent, span)
    if (requestHook) safely('requestHook', () => requestHook({ ...info, span }), undefined)

    let ended = false
    return withCorsHint(info.url, {
      span,
      context: spanContext.setValue(CLIENT_REQUEST, span),
      inject: (carrier, setter) => injectInto(spanContext, info.url, carrier, setter),
      end({ response, status, error }) {
        if (ended) return
        ended = true
        safely(
          'ending the client span',
          () => {
            if (status !== undefined) {
              span.setAttribute('http.response.status_code', status)
              if (status >= 400) {
                span.setAttribute('error.type', String(status))
                span.setStatus({ code: SpanStatusCode.ERROR })
              }
            }
            if (error !== undefined) recordError(span, error)
            if (responseHook) {
              safely('responseHook', () => responseHook({ ...info, span, response, error }), undefined)
            }
          },
          undefined,
        )
        span.end()
      },
    })
  }

  return { start }
}
