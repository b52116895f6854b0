import type { TextMapSetter } from '@opentelemetry/api'
import {
  copyHeaderRecord,
  fetchHeadersSetter,
  freshRecordSetter,
  type HeaderRecord,
  recordSetter,
} from '@otel-http/core'

/** A copy of a request's headers to inject into, with the setter that writes it. */
export interface RequestHeadersCopy {
  headers: HeadersInit
  carrier: unknown
  setter: TextMapSetter<unknown>
}

const isPlainRecord = (value: unknown): value is HeaderRecord => {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/**
 * Copies the headers a fetch call would send, so the caller's object, init and Request stay as
 * they were. No headers or a plain record is copied as a plain record: building a `Headers`
 * validates every header, and fetch does that once anyway. Any other form (`Headers`, an array
 * of pairs, an iterable) becomes a `Headers`.
 */
export function copyRequestHeaders(headers: unknown): RequestHeadersCopy {
  if (headers === undefined || headers === null) {
    const record: HeaderRecord = {}
    return {
      headers: record as HeadersInit,
      carrier: record,
      setter: freshRecordSetter as TextMapSetter<unknown>,
    }
  }
  if (isPlainRecord(headers)) {
    const record = copyHeaderRecord<HeaderRecord>(headers)
    return { headers: record as HeadersInit, carrier: record, setter: recordSetter as TextMapSetter<unknown> }
  }
  const copy = new Headers(headers as HeadersInit)
  return { headers: copy, carrier: copy, setter: fetchHeadersSetter as TextMapSetter<unknown> }
}
