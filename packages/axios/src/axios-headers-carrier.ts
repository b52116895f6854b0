import type { TextMapSetter } from '@opentelemetry/api'
import { validatingSetter } from '@otel-http/core'

/** The part of axios's `AxiosHeaders` the carrier uses; structural, so core never imports axios. */
export interface AxiosHeadersLike {
  get(name: string): unknown
  set(name: string, value: string): unknown
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
