import { context } from '@opentelemetry/api'
import { hopCheckedDispatcher, redirectHops, safely } from '@otel-http/core'
import type { AxiosAdapter, InternalAxiosRequestConfig } from 'axios'
import { type AdapterFunction, chosenAdapter } from './adapter-choice'
import { type AxiosCall, CALL, type TracedConfig } from './traced-config'

// biome-ignore lint/suspicious/noExplicitAny: any fetch implementation (global, undici, a polyfill) must fit.
type FetchLike = (input: any, init?: any) => Promise<any>
type BeforeRedirect = NonNullable<InternalAxiosRequestConfig['beforeRedirect']>
type Fields = Pick<InternalAxiosRequestConfig, 'adapter' | 'env' | 'fetchOptions' | 'beforeRedirect'>

// Wrappers made once per target and read the call from what they are given, so a retried config
// that still carries one runs in whatever call (or none) its own attempt set. axios caches its
// fetch adapter per `env.fetch` function: a wrapper per request would grow that cache forever.
const wrappers = new WeakMap<object, object>()
const ours = new WeakSet<object>()
// On our per-request `beforeRedirect`: the one the caller configured (or undefined). A property of
// the hook, not a WeakMap entry: a set per request grows an ephemeron table until the next GC.
const CALLERS: unique symbol = Symbol('the caller’s beforeRedirect')
type OurHook = BeforeRedirect & { [CALLERS]?: BeforeRedirect | undefined }

function once<T extends object>(target: T, wrap: (target: T) => T): T {
  if (ours.has(target)) return target
  let wrapper = wrappers.get(target) as T | undefined
  if (!wrapper) {
    wrapper = wrap(target)
    wrappers.set(target, wrapper)
    ours.add(wrapper)
  }
  return wrapper
}

/** A custom adapter function, run in its request's call context. */
const adapterIn = (target: AxiosAdapter): AxiosAdapter =>
  function adapterInCallContext(config) {
    const call = (config as TracedConfig)[CALL]
    return call
      ? (context.with(call.context, target, undefined, config) as ReturnType<AxiosAdapter>)
      : target(config)
  }

/**
 * axios's fetch adapter's `env.fetch`: calls `target` (default: `globalThis.fetch` at call time,
 * which msw or a polyfill may replace) in the call's context, with a dispatcher that applies
 * `propagateTo` to every redirect hop undici's fetch follows.
 */
const fetchIn = (target: FetchLike | undefined): FetchLike =>
  function fetchInCallContext(input, init) {
    const fetch = target ?? (globalThis.fetch as FetchLike)
    const call = (init as Record<symbol, AxiosCall | undefined> | undefined)?.[CALL]
    if (call === undefined) return fetch(input, init)
    const { [CALL]: _, ...rest } = init as Record<PropertyKey, unknown>
    // axios gives the Request it built the same `fetchOptions`: composing over their dispatcher keeps it.
    const dispatcher = safely(
      'checking redirect hops',
      () => hopCheckedDispatcher(rest.dispatcher, call),
      undefined,
    )
    if (dispatcher) rest.dispatcher = dispatcher
    const options = Reflect.ownKeys(rest).length > 0 ? rest : undefined
    return context.with(call.context, fetch, undefined, input, options)
  }

/** The `adapter` setting with the function axios will pick run in the call context; never the caller's list itself. */
function withAdapterIn(setting: Fields['adapter'], chosen: AdapterFunction): Fields['adapter'] {
  const wrapped = once(chosen as AxiosAdapter, adapterIn)
  return Array.isArray(setting) ? setting.map((entry) => (entry === chosen ? wrapped : entry)) : wrapped
}

function parseHref(href: unknown): URL | undefined {
  try {
    return new URL(String(href))
  } catch {
    return undefined
  }
}

/** axios's http adapter (follow-redirects): `propagateTo` on every hop, then the caller's own hook. */
function checkingRedirects(call: AxiosCall, callers: BeforeRedirect | undefined): BeforeRedirect {
  let hops: ReturnType<typeof redirectHops> | undefined
  const hook: OurHook = (options, response, request) => {
    safely(
      'checking a redirect hop',
      () => {
        hops ??= redirectHops(call)
        options.headers = hops.next(parseHref(options.href), options.headers)
      },
      undefined,
    )
    callers?.(options, response, request)
  }
  hook[CALLERS] = callers
  return hook
}

/**
 * The config fields (fresh objects, never the caller's) through which a request's transport
 * knows its call: the one place where nested otel-http layers are told the request is traced
 * (the transport runs in the call's context) and where redirect hops are checked. Covers a
 * custom adapter function (alone or the one a list leads axios to), axios's fetch adapter
 * (`env.fetch` and `fetchOptions`, unless axios will pick its http adapter) and its http adapter
 * (`beforeRedirect`). With `call` undefined (a re-issued config that is not traced),
 * undoes what an earlier attempt set.
 */
export function transportFor(config: TracedConfig, call: AxiosCall | undefined): Fields {
  const fields: Fields = {}
  const beforeRedirect = config.beforeRedirect
  const callers =
    beforeRedirect && CALLERS in beforeRedirect ? (beforeRedirect as OurHook)[CALLERS] : beforeRedirect
  if (call?.checksHops) fields.beforeRedirect = checkingRedirects(call, callers)
  else if (callers !== beforeRedirect) fields.beforeRedirect = callers

  const chosen = chosenAdapter(config.adapter)
  if (typeof chosen === 'function') {
    if (call) fields.adapter = withAdapterIn(config.adapter, chosen)
    return fields
  }
  const fetchOptions = config.fetchOptions as Record<PropertyKey, unknown> | undefined
  if (!call) {
    if (fetchOptions && CALL in fetchOptions) {
      const { [CALL]: _, ...rest } = fetchOptions
      fields.fetchOptions = rest
    }
    return fields
  }
  // axios will not reach its fetch adapter: nothing to build for it. Only while no `propagateTo`
  // judges destinations: were the guess wrong (axios's browser build under a Node process), a hop
  // would then go uncounted and the fetch run outside the call's context, but nothing would leak.
  if (!call.decidesPerDestination && chosen === 'http') return fields
  const env = config.env
  const ownFetch = env && Object.hasOwn(env, 'fetch') ? env.fetch : undefined
  if (ownFetch !== undefined && typeof ownFetch !== 'function') return fields
  if (ownFetch === undefined && typeof globalThis.fetch !== 'function') return fields
  // The symbol key first: after a spread, V8 builds the literal on a slow path. A retried
  // config's own CALL is replaced after.
  const options: Record<PropertyKey, unknown> = { [CALL]: call, ...fetchOptions }
  if (options[CALL] !== call) options[CALL] = call
  fields.env = { ...env, fetch: ownFetch ? once(ownFetch as FetchLike, fetchIn) : globalFetchIn() }
  fields.fetchOptions = options
  return fields
}

let globalWrapper: FetchLike | undefined
function globalFetchIn(): FetchLike {
  if (!globalWrapper) {
    globalWrapper = fetchIn(undefined)
    ours.add(globalWrapper)
  }
  return globalWrapper
}
