import { type Context, context } from '@opentelemetry/api'
import type { AxiosAdapter, InternalAxiosRequestConfig } from 'axios'
import { fetchInRequestContext, isFetchInRequestContext, RUN_IN } from './fetch-in-context'

// Key under which a config carries the context its custom adapter runs in: axios hands the
// adapter the config, symbol keys included.
const ADAPTER_CONTEXT = Symbol('@otel-http/axios adapter context')

/** The config fields that make axios run a request's transport in a given context. */
type TransportFields = Pick<InternalAxiosRequestConfig, 'adapter' | 'env' | 'fetchOptions'> & {
  [ADAPTER_CONTEXT]?: Context
}

// One wrapper per adapter function, made once: it reads the context from the config it is
// given, so a per-request closure is not needed, and a retried config that carries the wrapper
// runs in whatever context (or none) its own attempt set.
const adapterWrappers = new WeakMap<AxiosAdapter, AxiosAdapter>()
const ourWrappers = new WeakSet<AxiosAdapter>()

function adapterInRequestContext(target: AxiosAdapter): AxiosAdapter {
  if (ourWrappers.has(target)) return target
  let wrapper = adapterWrappers.get(target)
  if (!wrapper) {
    wrapper = (config) => {
      const ctx = (config as TransportFields)[ADAPTER_CONTEXT]
      return ctx === undefined
        ? target(config)
        : (context.with(ctx, target, undefined, config) as ReturnType<AxiosAdapter>)
    }
    adapterWrappers.set(target, wrapper)
    ourWrappers.add(wrapper)
  }
  return wrapper
}

/**
 * Config changes (fresh objects, never the caller's) that run the transport of one request in
 * `ctx`, the context holding its CLIENT span, so a lower otel-http layer does not trace it again.
 * Covered: a custom adapter function (wrapped) and axios's fetch adapter (through `env.fetch` and
 * `fetchOptions`). axios's http adapter has no public hook for this; nothing below it is an
 * otel-http layer.
 */
export function transportIn(config: InternalAxiosRequestConfig, ctx: Context): TransportFields {
  const adapter = config.adapter
  if (typeof adapter === 'function')
    return { adapter: adapterInRequestContext(adapter), [ADAPTER_CONTEXT]: ctx }
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
  if ((config as TransportFields)[ADAPTER_CONTEXT] !== undefined) fields[ADAPTER_CONTEXT] = undefined
  const fetchOptions = config.fetchOptions as Record<PropertyKey, unknown> | undefined
  if (fetchOptions && RUN_IN in fetchOptions) {
    const { [RUN_IN]: _, ...rest } = fetchOptions
    fields.fetchOptions = rest
  }
  return fields
}
