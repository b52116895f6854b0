import type { TextMapSetter } from '@opentelemetry/api'
import { type AxiosHeadersLike, axiosHeadersSetter, type HeaderRecord, recordSetter } from '@otel-http/core'
import type { AxiosRequestHeaders } from 'axios'

/** A copy of a request's headers to inject into, with the setter that writes it. */
export interface HeadersCopy {
  headers: AxiosRequestHeaders
  carrier: unknown
  setter: TextMapSetter<unknown>
}

const isAxiosHeaders = (headers: unknown): headers is AxiosHeadersLike & { concat(): AxiosRequestHeaders } =>
  typeof headers === 'object' &&
  headers !== null &&
  typeof (headers as { concat?: unknown }).concat === 'function' &&
  typeof (headers as { set?: unknown }).set === 'function'

/**
 * Copies the headers of a request config. axios already builds a fresh `AxiosHeaders` per
 * request, but an interceptor may have put an object the caller still owns there; injecting into
 * a copy keeps that object as it was. `AxiosHeaders#concat()` keeps axios's `false` values
 * ("do not send this header"), which a plain-object copy would lose.
 */
export function copyRequestHeaders(headers: unknown): HeadersCopy {
  if (isAxiosHeaders(headers)) {
    const copy = headers.concat()
    return { headers: copy, carrier: copy, setter: axiosHeadersSetter as TextMapSetter<unknown> }
  }
  const record: HeaderRecord = { ...(headers as HeaderRecord | undefined) }
  return {
    headers: record as unknown as AxiosRequestHeaders,
    carrier: record,
    setter: recordSetter as TextMapSetter<unknown>,
  }
}
