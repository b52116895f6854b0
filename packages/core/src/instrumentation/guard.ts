import { diag } from '@opentelemetry/api'

/**
 * The one guard on the request path. Every call into code otel-http does not own — the tracer,
 * a span, a propagator, a getter or setter, a user hook or predicate — runs through it, so an
 * exception there is reported through `diag` and `fallback` is used instead: tracing never
 * breaks the user's request.
 *
 * @example
 * const name = safely('spanName', () => options.spanName(info), 'GET')
 */
export function safely<T>(what: string, fn: () => T, fallback: T): T {
  try {
    return fn()
  } catch (error) {
    diag.error(`otel-http: ${what} threw; the request proceeds untouched`, error)
    return fallback
  }
}
