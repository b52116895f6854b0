import type { TextMapSetter } from '@opentelemetry/api'
import { copyHeaderRecord, type HeaderRecord, type OutboundHandle, recordSetter } from '@otel-http/core'
import type { AxiosRequestHeaders } from 'axios'
import { type AxiosHeadersLike, axiosHeadersSetter } from './axios-headers-carrier'

/** The request headers to inject into, with the setter that writes them. */
export interface RequestHeaders {
  headers: AxiosRequestHeaders
  carrier: unknown
  setter: TextMapSetter<unknown>
}

/** axios's `AxiosHeaders` (not a Fetch `Headers`, which has no `concat`). */
export const isAxiosHeaders = (
  headers: unknown,
): headers is AxiosHeadersLike & { delete(name: string): unknown } =>
  typeof headers === 'object' &&
  headers !== null &&
  typeof (headers as { concat?: unknown }).concat === 'function' &&
  typeof (headers as { set?: unknown }).set === 'function' &&
  typeof (headers as { delete?: unknown }).delete === 'function'

/**
 * The headers of a request config, ready to inject into. An `AxiosHeaders` there is the one axios
 * built for this request from the defaults and the caller's headers (the caller's own object is
 * never used as is): it is written in place, as axios's own interceptor examples do; copying it
 * re-validates every header, a few µs per request. Anything else (an interceptor put a plain
 * object there, which its owner may reuse) is copied first.
 */
export function requestHeaders(headers: unknown): RequestHeaders {
  if (isAxiosHeaders(headers)) {
    return {
      headers: headers as AxiosRequestHeaders,
      carrier: headers,
      setter: axiosHeadersSetter as TextMapSetter<unknown>,
    }
  }
  const record = copyHeaderRecord(headers as HeaderRecord | undefined)
  return {
    headers: record as unknown as AxiosRequestHeaders,
    carrier: record,
    setter: recordSetter as TextMapSetter<unknown>,
  }
}

/**
 * Takes back the trace headers an earlier attempt injected into headers a re-issued config still
 * carries, so a retry that is not traced (ignored, or outside `propagateTo`) does not send the
 * earlier attempt's `traceparent` and baggage, and one that is traced does not keep a stale
 * `baggage` its own context lacks. What that attempt wrote is derived by injecting its call again
 * into a scratch record (same context, same destination, same result), so nothing is recorded on
 * the way out of every request. A header changed since is the caller's and stays. axios's own
 * `AxiosHeaders` is edited in place; anything else is copied first.
 */
export function withoutInjected(headers: unknown, previous: Pick<OutboundHandle, 'inject'>): unknown {
  const injected: Record<string, string> = {}
  previous.inject(injected, recordSetter as TextMapSetter<Record<string, string>>)
  if (isAxiosHeaders(headers)) {
    for (const [name, value] of Object.entries(injected)) {
      if (headers.get(name) === value) headers.delete(name)
    }
    return headers
  }
  if (typeof headers !== 'object' || headers === null) return headers
  const copy = copyHeaderRecord(headers as HeaderRecord)
  for (const name of Object.keys(copy)) {
    const lower = name.toLowerCase()
    if (Object.hasOwn(injected, lower) && copy[name] === injected[lower]) delete copy[name]
  }
  return copy
}
