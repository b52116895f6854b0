import { type ClientOptions, createClientInstrumentation, safely } from '@otel-http/core'
import type { AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from 'axios'
import { injectHeaders, withoutInjected } from './request-headers'
import { requestUrl } from './request-url'
import { SCOPE } from './scope'
import { type AxiosCall, CALL, type TracedConfig } from './traced-config'
import { transportFor } from './transport'

/** `ClientOptions` whose hooks see axios's request config and `AxiosResponse`. */
export type InstrumentAxiosOptions = ClientOptions<InternalAxiosRequestConfig, AxiosResponse>

/** What `instrumentAxios` uses of an instance: `axios` itself, `axios.create()`, or `new Axios()`. */
export type AxiosLike = Pick<AxiosInstance, 'interceptors' | 'getUri'>

type ErrorLike = { config?: TracedConfig; response?: AxiosResponse }

const installed = new WeakMap<AxiosLike, () => void>()

const readCall = (config: unknown): AxiosCall | undefined => (config as TracedConfig | undefined)?.[CALL]
// A config is anything another interceptor left there (a Proxy included): read through the guard.
const callOf = (config: unknown): AxiosCall | undefined =>
  safely('reading the axios config', readCall, undefined, config)

/**
 * Adds a request and a response interceptor to an axios instance so each request made through it
 * carries the context active when it is made (`traceparent`, `tracestate`, `baggage`) and, unless
 * `spans: false`, is recorded as a CLIENT span that ends with the response, the error, the timeout
 * or the cancellation. Works with axios's http and fetch adapters; `propagateTo` is applied to
 * every redirect hop they follow. Each request, including each retry re-issued through the
 * instance, gets its own span. The caller's config and headers are never modified. Calling it
 * again on the same instance replaces the earlier instrumentation.
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
  const instrumentation = createClientInstrumentation(options, SCOPE)
  const getUri = (config: InternalAxiosRequestConfig) => instance.getUri(config)

  // Starts the call and injects. The config is axios's own, merged for this request (axios
  // mutates it itself further down): it is changed in place. A copy would cost more than the
  // rest of the tracing together, and axios copies again, slowly, any config that is not its
  // null-prototype kind.
  function traceRequest(config: TracedConfig): TracedConfig {
    const previous = config[CALL]
    if (previous) {
      // A config re-issued through the instance (a retry) carries the earlier attempt's call and
      // the headers it injected. That call has ended unless the retry came from a response
      // interceptor registered before ours, which saw the outcome first: end it now rather than
      // never. Its headers are taken back before deciding about this attempt.
      previous.end({})
      config.headers = withoutInjected(config.headers, previous) as TracedConfig['headers']
    }
    const call = instrumentation.start({
      method: (config.method ?? 'get').toUpperCase(),
      url: () => requestUrl(getUri, config),
      request: config,
    })
    if (call) config.headers = injectHeaders(config.headers, call)
    // With nothing to record and no redirect hop to check, the transport needs nothing from the
    // call (its context is the caller's): only the marker a retry reads is set. A re-issued
    // config still goes through transportFor, which undoes what the earlier attempt set.
    if (call && !previous && !call.observed && !call.checksHops) config[CALL] = call
    else if (call || previous) {
      // One source, then the marker: with a `{ [CALL]: call }` literal as a third source a
      // request ran ≈ 1 900 more instructions over loopback (Node 24; bench README, section 19).
      Object.assign(config, transportFor(config, call))
      config[CALL] = call
    }
    return config
  }

  // Ends the call: a status axios rejected (≥ 400 by default) is a response, whose status is the
  // error.type; anything else is an error.
  function traceResponse(response: AxiosResponse): AxiosResponse {
    callOf(response?.config)?.end({ response, status: response.status })
    return response
  }
  function traceError(error: unknown): never {
    const { config, response } = (error ?? {}) as ErrorLike
    callOf(config)?.end(response ? { response, status: response.status } : { error })
    throw error
  }

  // `synchronous: true`: our interceptor never awaits, so axios may keep its synchronous path
  // (the whole chain runs in the caller's stack) when every other interceptor allows it too.
  const requestId = instance.interceptors.request.use(
    (config) => safely('tracing the axios request', traceRequest, config, config),
    undefined,
    { synchronous: true },
  )
  // With `spans: false` and `metrics: false` there is nothing to end: no response interceptor,
  // and no extra promise step on every response. (Metrics alone keep it: whether a MeterProvider
  // is registered is only known per request, after axios has built the request's chain.)
  const responseId =
    options.spans === false && options.metrics === false
      ? undefined
      : instance.interceptors.response.use(traceResponse, traceError)

  function eject(): void {
    instance.interceptors.request.eject(requestId)
    if (responseId !== undefined) instance.interceptors.response.eject(responseId)
    if (installed.get(instance) === eject) installed.delete(instance)
  }
  installed.set(instance, eject)
  return eject
}
