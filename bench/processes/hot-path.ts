/**
 * The hot-path process: `hot-path.ts <client> <variant> <propagator>`. Measures the CPU one call
 * costs with the transport replaced by an immediate answer (a resolved Response, a dispatch that
 * completes synchronously, an axios adapter that resolves), so what remains is the client's own
 * code plus, for the traced variants, the adapter's: the part the I/O benchmark cannot resolve
 * below a few µs on a noisy machine. The `hand-*` variants do the same work as plainly as the API
 * allows (by-hand.ts), as same-run references.
 */
import type { Span } from '@opentelemetry/api'
import { instrumentAxios } from '@otel-http/axios'
import { tracedFetch } from '@otel-http/fetch'
import { tracingInterceptor } from '@otel-http/undici'
import type { Dispatcher } from 'undici'
import { endClientSpan, injectedHeaders, startClientSpan } from '../lib/by-hand'
import { serveRequests } from '../lib/ipc'
import { answeringDispatch, cpuPerCall, NO_IO_URL, noIoAxios, noIoDispatchOptions } from '../lib/no-io'
import { type PropagatorChoice, requestContext, setupSdk } from '../lib/sdk'
import type { ClientName } from '../lib/variants'

type HotVariant = 'bare' | 'hand-inject' | 'hand-span' | 'spans-off' | 'spans-on'
const [client, variant, propagator] = process.argv.slice(2) as [ClientName, HotVariant, PropagatorChoice]

const sdk = setupSdk(propagator)
const ctx = requestContext()
const URL_TEXT = NO_IO_URL
const traced = variant === 'spans-off' || variant === 'spans-on'
const spans = variant === 'spans-on'

type Call = () => unknown

function fetchCall(): Call {
  const response = new Response(null, { status: 200 })
  const stub = (_input: unknown, _init?: unknown) => Promise.resolve(response)
  const fetch = traced ? tracedFetch(stub, { spans }) : stub
  if (variant === 'hand-inject') return () => stub(URL_TEXT, { method: 'GET', headers: injectedHeaders() })
  if (variant === 'hand-span') {
    return () => {
      const client = startClientSpan('GET', URL_TEXT)
      return stub(URL_TEXT, { method: 'GET', headers: injectedHeaders(client.context) }).then((res) => {
        endClientSpan(client.span, res.status)
        return res
      })
    }
  }
  return () => fetch(URL_TEXT, { method: 'GET' })
}

function undiciCall(): Call {
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

function axiosCall(): Call {
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
  return () => instance.get(URL_TEXT)
}

const call = { fetch: fetchCall, undici: undiciCall, axios: axiosCall }[client]()

// Each call of a span variant must have made (and ended) exactly one span, or it measured less.
const spansPerCall = variant === 'spans-on' || variant === 'hand-span' ? 1 : 0

serveRequests(
  async (message) => {
    const { perCall, calls } = await cpuPerCall(
      ctx,
      call,
      (message as unknown as { roundMs: number }).roundMs,
    )
    // Spans reach the exporter between rounds, off the clock.
    const spans = await sdk.exportedSpans()
    if (spans !== calls * spansPerCall) {
      throw new Error(
        `${client} ${variant}: ${calls} calls ended ${spans} spans, expected ${calls * spansPerCall}`,
      )
    }
    return perCall
  },
  { ready: true },
)
