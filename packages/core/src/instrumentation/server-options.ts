import type { Span } from '@opentelemetry/api'
import type { AcceptBaggage } from '../policy/inbound-baggage'
import type { PathMatch } from '../policy/path-matcher'
import type { CommonOptions } from './compile-options'
import type { MetricsOptions } from './follow-meter'

/** What an adapter knows about an incoming request when it starts. */
export interface ServerRequestInfo<Req = unknown> {
  /** The method as received. */
  method: string
  /** The request target as received: path and optional query (`/users/42?tab=1`). */
  target: string
  /** `http` or `https`. */
  scheme?: string
  /** The adapter's own view of the request (node: `IncomingMessage`; fetch: `Request`; Koa: `ctx`…). */
  request: Req
}

/**
 * What `requestHook` receives: `span` and `request`, as for every kind, plus the method and target.
 *
 * @example
 * const options: ServerOptions = {
 *   requestHook: ({ span, target }: ServerRequestHookState) => span.setAttribute('app.target', target),
 * }
 */
export interface ServerRequestHookState<Req = unknown> {
  span: Span
  /** `http.request.method` (`_OTHER` for an unknown method). */
  method: string
  /** The request target as received: path and optional query. */
  target: string
  request: Req
}

/**
 * What `responseHook` receives: the request's state plus how it ended.
 *
 * @example
 * const options: ServerOptions = {
 *   responseHook: ({ span, status }: ServerResponseHookState) => span.setAttribute('app.ok', status === 200),
 * }
 */
export interface ServerResponseHookState<Req = unknown, Res = unknown> extends ServerRequestHookState<Req> {
  /** The adapter's view of the response, when there is one. */
  response?: Res
  /** The status code sent, when one was. */
  status?: number
  /** The error the handler threw, or the reason the connection closed early. */
  error?: unknown
}

/** What `spanName` receives: called when the span starts (no route yet) and again once the route is known. */
export interface ServerSpanNameInfo<Req = unknown> {
  /** `http.request.method` (`_OTHER` for an unknown method). */
  method: string
  /** The route template (`/users/:id`) once the framework knows it. */
  route?: string
  request: Req
}

/**
 * Options shared by every server adapter (`traceRequestListener`, `expressTracing`, `koaTracing`,
 * `fastifyTracing`, `honoTracing`, `traceFetchHandler`) and the Lambda adapter.
 *
 * @example
 * const options: ServerOptions = { trustIncoming: false, acceptBaggage: ['tenant'], ignore: ['/health'] }
 */
export interface ServerOptions<Req = unknown, Res = unknown> extends CommonOptions, MetricsOptions {
  /**
   * Whether the caller's trace context is continued. `true` (default): the SERVER span is the
   * child of the incoming `traceparent`. `false`, or a predicate returning false, for public
   * endpoints: a new root trace with a span link to the caller's span, inbound `tracestate`
   * dropped and inbound baggage dropped except the keys `acceptBaggage` allows.
   */
  trustIncoming?: boolean | ((request: Req) => boolean)
  /**
   * Inbound baggage keys to keep, on every request, trusted or not. Default: every key from a
   * trusted caller, none from an untrusted one.
   */
  acceptBaggage?: AcceptBaggage
  /**
   * Requests to leave alone entirely (no span, no extraction): paths matched exactly or at a
   * `/` boundary (`'/health'` matches `/health` and `/health/db`, not `/healthz`), RegExps
   * tested against the path, or a predicate.
   */
  ignore?: PathMatch<Req>
  /** Span name; default the method, then `METHOD route` once the route is known. */
  spanName?: string | ((info: ServerSpanNameInfo<Req>) => string)
  /** Called after the span starts, before the handler runs. Exceptions are caught. */
  requestHook?: (state: ServerRequestHookState<Req>) => void
  /** Called once before the span ends. Exceptions are caught. */
  responseHook?: (state: ServerResponseHookState<Req, Res>) => void
}
