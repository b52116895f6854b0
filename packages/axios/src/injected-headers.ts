import type { TextMapSetter } from '@opentelemetry/api'
import { type HeaderRecord, type OutboundHandle, recordSetter } from '@otel-http/core'
import { isAxiosHeaders } from './request-headers'

/**
 * Takes back the trace headers an earlier attempt injected into headers a re-issued config
 * still carries, so a retry that is not traced (ignored, or outside `propagateTo`) does not send
 * the earlier attempt's `traceparent` and baggage. What that attempt wrote is derived by
 * injecting its call again into a scratch record (same context, same destination, same
 * result), so nothing is recorded on the way out of every request. A header changed since is
 * the caller's and stays. axios's own `AxiosHeaders` is edited in place; anything else is
 * copied first.
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
  const copy: HeaderRecord = { ...(headers as HeaderRecord) }
  for (const name of Object.keys(copy)) {
    const lower = name.toLowerCase()
    if (Object.hasOwn(injected, lower) && copy[name] === injected[lower]) delete copy[name]
  }
  return copy
}
