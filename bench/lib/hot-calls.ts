/**
 * The calls of the no-I/O hot path, one per client and variant: the transport answers at once (a
 * resolved Response, a dispatch that completes synchronously, an axios adapter that resolves)
 * after checking the headers as the real client does first (fetch's `Headers`, undici's core
 * `Request`, node:http's header checks for axios: no-io.ts), so what a call costs is the client's
 * own code plus, for the traced variants, the adapter's, and a header value is flattened and
 * checked by the client in every variant, as it is over a real socket.
 * The `hand-*` variants do the same work as plainly as the API allows (by-hand.ts), as same-run
 * references. Timed by hot-path.ts, counted in instructions by instruction-count.ts.
 */
import type { Span } from '@opentelemetry/api'
import { instrumentAxios } from '@otel-http/axios'
import { tracedFetch } from '@otel-http/fetch'
import { tracingInterceptor } from '@otel-http/undici'
import type { Dispatcher } from 'undici'
import { endClientSpan, injectedHeaders, startClientSpan } from './by-hand'
import { answeringDispatch, answeringFetch, NO_IO_URL, noIoAxios, noIoDispatchOptions } from './no-io'
import type { ClientName } from './variants'

export const HOT_VARIANTS = ['bare', 'hand-inject', 'spans-off', 'hand-span', 'spans-on'] as const
export type HotVariant = (typeof HOT_VARIANTS)[number]

/** One call; its promise, if any, settles once the call is done. */
export type Call = () => unknown

function fetchCall(variant: HotVariant): Call {
  const traced = variant === 'spans-off' || variant === 'spans-on'
  const spans = variant === 'spans-on'
  const stub = answeringFetch()
  const fetch = traced ? tracedFetch(stub, { spans }) : stub
  if (variant === 'hand-inject') return () => stub(NO_IO_URL, { method: 'GET', headers: injectedHeaders() })
  if (variant === 'hand-span') {
    return () => {
      const client = startClientSpan('GET', NO_IO_URL)
      return stub(NO_IO_URL, { method: 'GET', headers: injectedHeaders(client.context) }).then((res) => {
        endClientSpan(client.span, res.status)
        return res
      })
    }
  }
  return () => fetch(NO_IO_URL, { method: 'GET' })
}

function undiciCall(variant: HotVariant): Call {
  const traced = variant === 'spans-off' || variant === 'spans-on'
  const spans = variant === 'spans-on'
  const answer = answeringDispatch()
  const dispatch = traced ? tracingInterceptor({ spans })(answer) : answer
  const url = (opts: Dispatcher.DispatchOptions) => `${opts.origin}${opts.path}`
  const byHand: Dispatcher.Dispatch = (opts, handler) => {
    if (variant === 'hand-inject') return answer({ ...opts, headers: injectedHeaders() }, handler)
    const client = startClientSpan(opts.method, url(opts))
    let status = 0
    const ending: Dispatcher.DispatchHandler = {
      onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
      onResponseStart: (controller, statusCode, headers, statusMessage) => {
        status = statusCode
        handler.onResponseStart?.(controller, statusCode, headers, statusMessage)
      },
      onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
      onResponseEnd: (controller, trailers) => {
        endClientSpan(client.span, status)
        handler.onResponseEnd?.(controller, trailers)
      },
      onResponseError: (controller, error) => {
        client.span.end()
        handler.onResponseError?.(controller, error)
      },
    }
    return answer({ ...opts, headers: injectedHeaders(client.context) }, ending)
  }
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart() {},
    onResponseStart() {},
    onResponseData() {},
    onResponseEnd() {},
    onResponseError() {},
  }
  const opts = noIoDispatchOptions()
  const call = variant.startsWith('hand-') ? byHand : dispatch
  return () => call(opts, handler)
}

function axiosCall(variant: HotVariant): Call {
  const traced = variant === 'spans-off' || variant === 'spans-on'
  const spans = variant === 'spans-on'
  const instance = noIoAxios()
  if (traced) instrumentAxios(instance, { spans })
  if (variant === 'hand-inject') {
    instance.interceptors.request.use(
      (config) => config.headers.set(injectedHeaders()) && config,
      undefined,
      {
        synchronous: true,
      },
    )
  }
  if (variant === 'hand-span') {
    const spanOf = new WeakMap<object, Span>()
    instance.interceptors.request.use(
      (config) => {
        const client = startClientSpan('GET', config.url ?? '')
        spanOf.set(config, client.span)
        config.headers.set(injectedHeaders(client.context))
        return config
      },
      undefined,
      { synchronous: true },
    )
    instance.interceptors.response.use((response) => {
      const span = spanOf.get(response.config)
      if (span) endClientSpan(span, response.status)
      return response
    })
  }
  return () => instance.get(NO_IO_URL)
}

/**
 * The call of `client` for `variant`, built once per process.
 *
 * @example
 * const call = hotCall('fetch', 'spans-on')
 * await call()
 */
export function hotCall(client: ClientName, variant: HotVariant): Call {
  return { fetch: fetchCall, undici: undiciCall, axios: axiosCall }[client](variant)
}

/** Spans each call of `variant` must have ended, or it measured less than it claims. */
export const spansPerCall = (variant: HotVariant): number =>
  variant === 'spans-on' || variant === 'hand-span' ? 1 : 0
