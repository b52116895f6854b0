import type { TextMapGetter } from '@opentelemetry/api'
import { type HeaderRecord, recordGetter } from '@otel-http/core'
import type { HttpEventV1, HttpEventV2 } from './lambda-events'

export type HttpEvent = HttpEventV1 | HttpEventV2

// Payload 1.0 and multi-value ALB events keep every repeat of a header in `multiValueHeaders`
// (so a repeated `traceparent` is seen, and rejected, by core's record getter); payload 2.0 and
// single-value ALB events have only `headers`, where API Gateway already joined repeats with commas.
function headerRecords(event: HttpEvent): HeaderRecord[] {
  const records: HeaderRecord[] = []
  if ('multiValueHeaders' in event && event.multiValueHeaders) records.push(event.multiValueHeaders)
  if (event.headers) records.push(event.headers)
  return records
}

/**
 * Reads trace headers from an API Gateway (REST and HTTP API), ALB or Function URL event, in any
 * case. Payload 2.0 moves `Cookie` into `event.cookies`; it is served back as `cookie`.
 */
export const httpEventGetter: TextMapGetter<HttpEvent> = {
  keys(event) {
    const keys = new Set(headerRecords(event).flatMap((record) => recordGetter.keys(record)))
    if ('cookies' in event && event.cookies?.length) keys.add('cookie')
    return [...keys]
  },
  get(event, key) {
    if ('cookies' in event && event.cookies?.length && key.toLowerCase() === 'cookie') {
      return event.cookies.join('; ')
    }
    for (const record of headerRecords(event)) {
      const value = recordGetter.get(record, key)
      if (value !== undefined) return value
    }
    return undefined
  },
}
