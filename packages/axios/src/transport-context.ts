import { type Context, context } from '@opentelemetry/api'
import type { AxiosAdapter, InternalAxiosRequestConfig } from 'axios'
import { fetchInRequestContext, isFetchInRequestContext, RUN_IN } from './fetch-in-context'

/** The config fields that make axios run a request's transport in a given context. */
type TransportFields = Pick<InternalAxiosRequestConfig, 'adapter' | 'env' | 'fetchOptions'>

// Adapter wrappers we made, to the adapter each wraps: a retried config carries the wrapper of
// the attempt it came from, which must not run the new attempt in the old attempt's context.
const wrappedAdapters = new WeakMap<AxiosAdapter, AxiosAdapter>()

/**
 * Config changes (fresh objects, never the caller's) that run the transport of one request in
 * `ctx`, the context holding its CLIENT span, so a lower otel-http layer does not trace it again.
 * Covered: a custom adapter function (wrapped) and axios's fetch adapter (through `env.fetch` and
 * `fetchOptions`). axios's http adapter has no public hook for this; nothing below it is an
 * otel-http layer.
 */
export function transportIn(config: InternalAxiosRequestConfig, ctx: Context): TransportFields {
  const adapter = config.adapter
  if (typeof adapter === 'function') {
    const target = wrappedAdapters.get(adapter) ?? adapter
    const wrapper: AxiosAdapter = (request) =>
      context.with(ctx, target, undefined, request) as ReturnType<AxiosAdapter>
    wrappedAdapters.set(wrapper, target)
    return { adapter: wrapper }
  }
  const env = config.env
  const ownFetch = env && Object.hasOwn(env, 'fetch') ? env.fetch : undefined
  if (ownFetch !== undefined && typeof ownFetch !== 'function') return {}
  if (ownFetch === undefined && typeof globalThis.fetch !== 'function') return {}
  // The symbol key first (see instrument-axios.ts); a retried config's own RUN_IN is replaced after.
  const fetchOptions: Record<PropertyKey, unknown> = { [RUN_IN]: ctx, ...config.fetchOptions }
  if (fetchOptions[RUN_IN] !== ctx) fetchOptions[RUN_IN] = ctx
  const fetch = ownFetch && isFetchInRequestContext(ownFetch) ? ownFetch : fetchInRequestContext(ownFetch)
  return { env: { ...env, fetch }, fetchOptions }
}

/**
 * For a re-issued config that will not be traced: undoes what an earlier pass through
 * {@link transportIn} left, so its transport does not run in the earlier attempt's context.
 */
export function withoutTransportContext(config: InternalAxiosRequestConfig): Partial<TransportFields> {
  const fields: Partial<TransportFields> = {}
  const adapter = typeof config.adapter === 'function' ? wrappedAdapters.get(config.adapter) : undefined
  if (adapter) fields.adapter = adapter
  const fetchOptions = config.fetchOptions as Record<PropertyKey, unknown> | undefined
  if (fetchOptions && RUN_IN in fetchOptions) {
    const { [RUN_IN]: _, ...rest } = fetchOptions
    fields.fetchOptions = rest
  }
  return fields
}
