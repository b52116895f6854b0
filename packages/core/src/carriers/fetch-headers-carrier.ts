import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api'
import { checkJoinedValue } from './carrier-values'
import { validatingSetter } from './header-value'

/**
 * Reads W3C headers from a Fetch `Headers` (which already joins repeated values).
 *
 * @example
 * const parent = propagation.extract(ROOT_CONTEXT, request.headers, fetchHeadersGetter)
 */
export const fetchHeadersGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => checkJoinedValue(key, headers.get(key)),
}

/**
 * `Headers#set` is case-insensitive and replaces: never a second `traceparent`. A value `Headers`
 * would reject is dropped (see `validatingSetter`).
 *
 * @example
 * const headers = new Headers(init?.headers)
 * propagation.inject(context.active(), headers, fetchHeadersSetter)
 */
export const fetchHeadersSetter: TextMapSetter<Headers> = validatingSetter({
  set: (headers, key, value) => headers.set(key, value),
})
