import { context } from '@opentelemetry/api'
import {
  type ClientOptions,
  copyHeaderRecord,
  createClientInstrumentation,
  hopCheckedDispatcher,
  safely,
} from '@otel-http/core'
import { readFetchInput } from './fetch-input'
import { copyRequestHeaders } from './request-headers'
import { SCOPE } from './scope'

/** Any function shaped like `fetch`: Node's global fetch, undici's `fetch`, a polyfill, msw's patch. */
// biome-ignore lint/suspicious/noExplicitAny: parameters are `any` so every fetch's own types fit and are kept.
export type FetchLike = (input: any, init?: any) => Promise<unknown>

/** The caller's view of one call, as the hooks and `ignore` see it: exactly what was passed. */
export interface FetchRequest<F extends FetchLike = typeof fetch> {
  input: Parameters<F>[0]
  init: Parameters<F>[1] | undefined
}

/** `ClientOptions` whose hooks see the call's `{ input, init }` and the `Response` of `F`. */
export type TracedFetchOptions<F extends FetchLike = typeof fetch> = ClientOptions<
  FetchRequest<F>,
  Awaited<ReturnType<F>>
>

type AnyInit = { method?: string; headers?: unknown; dispatcher?: unknown } | undefined
type UntypedFetch = (input: unknown, init?: AnyInit) => Promise<unknown>

/**
 * Wraps a fetch implementation so each call carries the active OpenTelemetry context
 * (`traceparent`, `tracestate`, `baggage`) and, unless `spans: false`, is recorded as a CLIENT
 * span. The result has the same signature as `fetchImpl`. The caller's headers, `RequestInit`
 * and `Request` are never modified (headers are copied before injection) and bodies are
 * passed through unread. Without `fetchImpl`, each call uses `globalThis.fetch` as it is at
 * call time, so a fetch replaced later (msw, a polyfill) is honoured.
 *
 * @example
 * import { tracedFetch } from '@otel-http/fetch'
 *
 * const fetch = tracedFetch()
 * const res = await fetch('https://api.example.com/users/1')
 *
 * // or: a specific implementation, headers only for your own services
 * import { fetch as undiciFetch } from 'undici'
 * const apiFetch = tracedFetch(undiciFetch, { propagateTo: ['https://api.example.com'] })
 */
export function tracedFetch(fetchImpl?: undefined, options?: TracedFetchOptions): typeof fetch
/**
 * Wraps a given fetch implementation (undici's `fetch`, a polyfill, a platform's fetch) and
 * keeps its exact type; the hooks see its `Request`/`Response` types.
 *
 * @example
 * import { fetch as undiciFetch } from 'undici'
 * const fetch = tracedFetch(undiciFetch, { propagateTo: ['https://api.example.com'] })
 */
export function tracedFetch<F extends FetchLike>(fetchImpl: F, options?: TracedFetchOptions<F>): F
export function tracedFetch<F extends FetchLike>(fetchImpl?: F, options: TracedFetchOptions<F> = {}): F {
  const instrumentation = createClientInstrumentation(options, SCOPE)
  // `globalThis.fetch = tracedFetch()` must not call itself: fall back to the fetch it replaced.
  const globalAtCreation = globalThis.fetch
  const implementation = (): UntypedFetch =>
    (fetchImpl ??
      (globalThis.fetch === (fetchWithTrace as unknown)
        ? globalAtCreation
        : globalThis.fetch)) as UntypedFetch

  function fetchWithTrace(input: unknown, init?: AnyInit): Promise<unknown> {
    const impl = implementation()
    const target = safely('reading the fetch input', readFetchInput, undefined, input, init)
    const call =
      target &&
      instrumentation.start({
        method: target.method.toUpperCase(),
        url: target.url,
        request: { input, init },
      })
    if (!call) return impl(input, init)

    // A copy, so the caller's headers object, init and Request stay as they were.
    const headers = safely('copying the request headers', copyRequestHeaders, undefined, target.headers)
    // Not `{ ...init }`: on Node 20 adding to a spread copy takes V8's slow path (see copyHeaderRecord).
    const traced = copyHeaderRecord<Record<string, unknown>>(init)
    if (headers) {
      call.inject(headers.carrier, headers.setter)
      traced.headers = headers.headers
    }
    // Every redirect hop goes through the request's dispatcher: checked there, fetch follows
    // redirects itself. A Request's own dispatcher cannot be read, so it is left alone.
    if (target.dispatcherKnown) {
      const dispatcher = safely(
        'checking redirect hops',
        hopCheckedDispatcher,
        undefined,
        target.dispatcher,
        call,
      )
      if (dispatcher) traced.dispatcher = dispatcher
    }
    // Without a span or metrics there is nothing to end and no context to mark: call straight through.
    if (!call.observed) return impl(input, traced)

    let pending: Promise<unknown>
    try {
      // The call's context marks the request as traced, so an otel-http layer below does not trace it twice.
      pending = context.with(call.context, impl, undefined, input, traced)
    } catch (error) {
      call.end({ error })
      throw error
    }
    return pending.then(
      (response) => {
        call.end({
          response: response as Awaited<ReturnType<F>>,
          status: (response as { status?: number } | undefined)?.status,
        })
        return response
      },
      (error: unknown) => {
        call.end({ error })
        throw error
      },
    )
  }

  return fetchWithTrace as F
}
