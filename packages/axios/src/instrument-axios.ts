import { type ClientOptions, createClientInstrumentation, type OutboundHandle, safely } from '@otel-http/core'
import type { AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from 'axios'
import { withoutInjected } from './injected-headers'
import { requestHeaders } from './request-headers'
import { requestUrl } from './request-url'
import { transportIn, withoutTransportContext } from './transport-context'

/** `ClientOptions` whose hooks see axios's request config and `AxiosResponse`. */
export type InstrumentAxiosOptions = ClientOptions<InternalAxiosRequestConfig, AxiosResponse>

/** What `instrumentAxios` uses of an instance: `axios` itself, `axios.create()`, or `new Axios()`. */
export type AxiosLike = Pick<AxiosInstance, 'interceptors' | 'getUri'>

// The request's call travels on its config: axios copies configs (symbol keys included) on
// their way to the adapter, and the copy is what `response.config` and `error.config` hold.
const CALL = Symbol('@otel-http/axios call')
type TracedConfig = InternalAxiosRequestConfig & { [CALL]?: OutboundHandle<AxiosResponse> }
type ErrorLike = { config?: TracedConfig; response?: AxiosResponse }

const installed = new WeakMap<AxiosLike, () => void>()

const callOf = (config: unknown): OutboundHandle<AxiosResponse> | undefined =>
  safely('reading the axios config', () => (config as TracedConfig | undefined)?.[CALL], undefined)

/**
 * Adds a request and a response interceptor to an axios instance so each request made through it
 * carries the context active when it is made (`traceparent`, `tracestate`, `baggage`) and, unless
 * `spans: false`, is recorded as a CLIENT span that ends with the response, the error, the timeout
 * or the cancellation. Works with axios's http and fetch adapters. Each request, including each
 * retry re-issued through the instance, gets its own span. The caller's config and headers are
 * never modified. Calling it again on the same instance replaces the earlier instrumentation.
 *
 * Returns `eject()`, which removes both interceptors.
 *
 * @example
 * import axios from 'axios'
 * import { instrumentAxios } from '@otel-http/axios'
 *
 * const api = axios.create({ baseURL: 'https://api.example.com' })
 * const eject = instrumentAxios(api, { propagateTo: ['https://api.example.com'] })
 * await api.get('/users/1')
 * eject()
 */
export function instrumentAxios(instance: AxiosLike, options: InstrumentAxiosOptions = {}): () => void {
  installed.get(instance)?.()
  const instrumentation = createClientInstrumentation(options, { name: '@otel-http/axios' })

  function traceRequest(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
    const previous = (config as TracedConfig)[CALL]
    // A config re-issued through the instance carries the call of the attempt it came from. That
    // call has ended unless the retry was made by a response interceptor registered before ours,
    // which saw the outcome first: end it now rather than never.
    previous?.end({})
    const traced = config as TracedConfig
    // The config is written in place (below), so a re-issued copy still carries the headers the
    // earlier attempt injected: take them back before deciding about this one.
    if (previous) traced.headers = withoutInjected(config.headers, previous) as TracedConfig['headers']
    const call = instrumentation.start({
      method: (config.method ?? 'get').toUpperCase(),
      url: () => requestUrl(instance, config),
      request: config,
    })
    // The config is axios's own, merged for this request (axios mutates it itself further down):
    // it is changed in place. A copy would cost more than the rest of the tracing together, and
    // axios copies again, slowly, any config that is not its null-prototype kind.
    if (!call) {
      if (previous) Object.assign(traced, withoutTransportContext(config), { [CALL]: undefined })
      return traced
    }

    const headers = requestHeaders(config.headers)
    call.inject(headers.carrier, headers.setter)
    if (call.span) Object.assign(traced, transportIn(config, call.context))
    traced.headers = headers.headers
    traced[CALL] = call
    return traced
  }

  function traceResponse(response: AxiosResponse): AxiosResponse {
    callOf(response?.config)?.end({ response, status: response.status })
    return response
  }

  function traceError(error: unknown): never {
    const { config, response } = (error ?? {}) as ErrorLike
    const call = callOf(config)
    // A status axios rejected (≥ 400 by default) is a response: error.type is the status code.
    if (call) call.end(response ? { response, status: response.status } : { error })
    throw error
  }

  // `synchronous: true`: our interceptor never awaits, so axios may keep its synchronous path
  // (the whole chain runs in the caller's stack) when every other interceptor allows it too.
  const requestId = instance.interceptors.request.use(
    (config) => safely('tracing the axios request', () => traceRequest(config), config),
    undefined,
    { synchronous: true },
  )
  // With `spans: false` there is no span to end: no response interceptor, and no extra promise
  // step on every response.
  const responseId =
    options.spans === false ? undefined : instance.interceptors.response.use(traceResponse, traceError)

  function eject(): void {
    instance.interceptors.request.eject(requestId)
    if (responseId !== undefined) instance.interceptors.response.eject(responseId)
    if (installed.get(instance) === eject) installed.delete(instance)
  }
  installed.set(instance, eject)
  return eject
}
