import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api'
import { checkJoinedValue, combineHeaderValues, validatingSetter } from '@otel-http/core'

/** The part of axios's `AxiosHeaders` the carrier uses; structural, so core never imports axios. */
export interface AxiosHeadersLike {
  get(name: string): unknown
  set(name: string, value: string): unknown
  toJSON?(): Record<string, unknown>
}

export const axiosHeadersGetter: TextMapGetter<AxiosHeadersLike> = {
  keys: (headers) => Object.keys(headers.toJSON?.() ?? {}).map((k) => k.toLowerCase()),
  get(headers, key) {
    const value = headers.get(key)
    if (value == null || value === false) return undefined
    if (Array.isArray(value)) return combineHeaderValues(key, value.map(String))
    return checkJoinedValue(key, String(value))
  },
}

/**
 * `AxiosHeaders#set` finds an existing name case-insensitively and overwrites it. A value Node's
 * http or `Headers` would reject is dropped (see `validatingSetter`).
 */
export const axiosHeadersSetter: TextMapSetter<AxiosHeadersLike> = validatingSetter({
  set: (headers, key, value) => {
    headers.set(key, value)
  },
})
