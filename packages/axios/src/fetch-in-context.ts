import { type Context, context } from '@opentelemetry/api'

/**
 * Key under which a traced request's `fetchOptions` carry the context its fetch must run in.
 * axios copies `fetchOptions` (symbol keys included) into the options it passes to `fetch`, so
 * this is the one public path from a request interceptor to the fetch call of that request.
 */
export const RUN_IN = Symbol('@otel-http/axios fetch context')

// biome-ignore lint/suspicious/noExplicitAny: any fetch implementation (global, undici, a polyfill) must fit.
type FetchLike = (input: any, init?: any) => Promise<any>

const wrappers = new WeakMap<FetchLike, FetchLike>()
const ours = new WeakSet<FetchLike>()
let globalWrapper: FetchLike | undefined

/** True for a function {@link fetchInRequestContext} returned (a retried config carries one). */
export const isFetchInRequestContext = (fetch: FetchLike): boolean => ours.has(fetch)

function runningInRequestContext(target: FetchLike | undefined): FetchLike {
  const wrapper: FetchLike = function fetchInRequestContext(input, init) {
    // Without a target, whatever `globalThis.fetch` is at call time (msw or a polyfill may replace it).
    const fetch = target ?? (globalThis.fetch as FetchLike)
    const ctx = (init as Record<symbol, unknown> | undefined)?.[RUN_IN] as Context | undefined
    if (ctx === undefined) return fetch(input, init)
    const { [RUN_IN]: _, ...rest } = init as Record<PropertyKey, unknown>
    return context.with(ctx, fetch, undefined, input, Reflect.ownKeys(rest).length > 0 ? rest : undefined)
  }
  ours.add(wrapper)
  return wrapper
}

/**
 * The `env.fetch` to give axios's fetch adapter: it calls `target` (default: the global fetch)
 * inside the context marked with {@link RUN_IN}, so an otel-http layer below (an undici
 * interceptor on the global dispatcher) sees the request as already traced. One wrapper per
 * target: axios caches its fetch adapter per `env.fetch` function.
 */
export function fetchInRequestContext(target: FetchLike | undefined): FetchLike {
  if (target === undefined) {
    globalWrapper ??= runningInRequestContext(undefined)
    return globalWrapper
  }
  let wrapper = wrappers.get(target)
  if (!wrapper) {
    wrapper = runningInRequestContext(target)
    wrappers.set(target, wrapper)
  }
  return wrapper
}
