import type { TextMapSetter } from '@opentelemetry/api'
import {
  copyHeaderRecord,
  freshRecordSetter,
  type HeaderRecord,
  type OutboundHandle,
  recordSetter,
} from '@otel-http/core'
import type { AxiosRequestHeaders } from 'axios'

/**
 * The part of axios's `AxiosHeaders` used here; structural, so core never imports axios. `set`
 * with a record finds each existing name case-insensitively and overwrites it, unless the caller
 * set that header to `false` (axios's "never send it").
 */
interface AxiosHeadersLike {
  get(name: string): unknown
  set(headers: HeaderRecord): unknown
  delete(name: string): unknown
}

/** axios's `AxiosHeaders` (not a Fetch `Headers`, which has no `concat`). */
export const isAxiosHeaders = (headers: unknown): headers is AxiosHeadersLike =>
  typeof headers === 'object' &&
  headers !== null &&
  typeof (headers as { concat?: unknown }).concat === 'function' &&
  typeof (headers as { set?: unknown }).set === 'function' &&
  typeof (headers as { delete?: unknown }).delete === 'function'

/**
 * Injects `call`'s context into a request config's headers and answers the headers to send. An
 * `AxiosHeaders` there is the one axios built for this request from the defaults and the caller's
 * headers (the caller's own object is never used as is): it is written in place, as axios's own
 * interceptor examples do; copying it re-validates every header, a few µs per request. The trace
 * headers go into it with one `set` of a record, which finds an existing name case-insensitively
 * as `set(name, value)` does, but without trimming each name and matching it against axios's
 * token RegExp (≈ 250 instructions a header; the validating setter has checked them). Anything
 * else (an interceptor put a plain object there, which its owner may reuse) is copied first.
 */
export function injectHeaders(headers: unknown, call: Pick<OutboundHandle, 'inject'>): AxiosRequestHeaders {
  if (isAxiosHeaders(headers)) {
    const injected: HeaderRecord = {}
    call.inject(injected, freshRecordSetter)
    headers.set(injected)
    return headers as AxiosRequestHeaders
  }
  const record = copyHeaderRecord(headers as HeaderRecord | undefined)
  call.inject(record, recordSetter as TextMapSetter<HeaderRecord>)
  return record as unknown as AxiosRequestHeaders
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
