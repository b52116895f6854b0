import type { Span } from '@opentelemetry/api'
import type { OutboundBaggage } from '../policy/outbound-baggage'
import type { UrlMatch } from '../policy/url-matcher'
import type { CommonOptions } from './compile-options'
import type { MetricsOptions } from './follow-meter'

/** What an adapter knows about an outgoing request when it starts. */
export interface ClientRequestInfo<Req = unknown> {
  /** The method as the caller gave it (upper-cased). */
  method: string
  url: URL
  /** The adapter's own view of the request (fetch: `{ input, init }`; axios: the config…). */
  request: Req
}

/**
 * What `requestHook` receives: `span` and `request`, as for every kind, plus the method and URL.
 *
 * @example
 * const options: ClientOptions = {
 *   requestHook: ({ span, url }: ClientRequestHookState) => span.setAttribute('app.host', url.host),
 * }
 */
export interface ClientRequestHookState<Req = unknown> extends ClientRequestInfo<Req> {
  span: Span
}

/**
 * What `responseHook` receives: the request's state plus how it ended.
 *
 * @example
 * const options: ClientOptions = {
 *   responseHook: ({ span, status }: ClientResponseHookState) => span.setAttribute('app.ok', status === 200),
 * }
 */
export interface ClientResponseHookState<Req = unknown, Res = unknown> extends ClientRequestHookState<Req> {
  /** Present when a response arrived (any status). */
  response?: Res
  /** The status code received, when a response arrived. */
  status?: number
  /** Present when the request failed: network error, abort, timeout. */
  error?: unknown
}

/**
 * Options shared by every client adapter (`tracedFetch`, `tracingInterceptor`, `instrumentAxios`).
 *
 * @example
 * const options: ClientOptions = { propagateTo: ['https://api.internal'], spans: true, metrics: false }
 * const http = createClientInstrumentation(options, { name: '@my/client', version: '1.0.0' })
 */
export interface ClientOptions<Req = unknown, Res = unknown> extends CommonOptions, MetricsOptions {
  /** `true` (default): a CLIENT span per request, injected as the parent. `false`: inject only. */
  spans?: boolean
  /**
   * Destinations that receive `traceparent`, `tracestate` and `baggage`: origins or URL prefixes
   * (matched at a path boundary), RegExps tested against the full URL, or a predicate.
   * In a page (a global `location` with an http(s) origin): the page's own origin plus the listed
   * entries, which may be paths (`/api`) resolved against the page; default the page's origin only,
   * so no cross-origin request needs a CORS preflight it did not need untraced. A predicate decides
   * alone. Elsewhere: default every destination.
   */
  propagateTo?: UrlMatch
  /** Requests to leave alone entirely: no span, no headers. Same forms as `propagateTo`. */
  ignore?: ReadonlyArray<string | RegExp> | ((url: URL, request: Req) => boolean)
  /** Span name; default the method (`GET`). */
  spanName?: string | ((info: ClientRequestInfo<Req>) => string)
  /** Called after the span starts, before headers are injected. Exceptions are caught. */
  requestHook?: (state: ClientRequestHookState<Req>) => void
  /** Called once before the span ends. Exceptions are caught. */
  responseHook?: (state: ClientResponseHookState<Req, Res>) => void
  /** Which baggage entries may leave the process; secret-looking keys never do by default. */
  baggage?: OutboundBaggage
}
