import type { TextMapSetter } from '@opentelemetry/api'
import type { AxiosHeadersLike, HeaderRecord } from '@otel-http/core'

/** The trace headers one attempt wrote, name to value. */
export type InjectedHeaders = Record<string, string>

/** Writes through `setter` and remembers in `written` what was written. */
export function recordingSetter(
  setter: TextMapSetter<unknown>,
  written: InjectedHeaders,
): TextMapSetter<unknown> {
  return {
    set(carrier, key, value) {
      written[key] = value
      setter.set(carrier, key, value)
    },
  }
}

const isAxiosHeaders = (headers: unknown): headers is AxiosHeadersLike & { delete(name: string): unknown } =>
  typeof (headers as { get?: unknown } | undefined)?.get === 'function' &&
  typeof (headers as { delete?: unknown }).delete === 'function'

/**
 * Takes back the trace headers an earlier attempt injected into headers a re-issued config
 * still carries, so a retry that is not traced (ignored, or outside `propagateTo`) does not send
 * the earlier attempt's `traceparent` and baggage. A header changed since is the caller's and
 * stays. axios's own `AxiosHeaders` is edited in place; anything else is copied first.
 */
export function withoutInjected(headers: unknown, injected: InjectedHeaders): unknown {
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
