import { diag } from '@opentelemetry/api'

/**
 * Runs tracing code that must never break the user's request: an exception (from a user hook,
 * a propagator, an exporter) is reported through `diag` and `fallback` is returned instead.
 */
export function safely<T>(what: string, fn: () => T, fallback: T): T {
  try {
    return fn()
  } catch (error) {
    diag.error(`otel-http: ${what} threw; the request proceeds untouched`, error)
    return fallback
  }
}
