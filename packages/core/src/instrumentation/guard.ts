import { diag } from '@opentelemetry/api'

/**
 * The one guard on the request path. Every call into code otel-http does not own — the tracer,
 * a span, a propagator, a getter or setter, a user hook or predicate — runs through it, so an
 * exception there is reported through `diag` and `fallback` is used instead: tracing never
 * breaks the user's request. On the per-request path, pass the function and its arguments
 * (`safely(what, fn, fallback, a, b)`) rather than a closure, so a request allocates none.
 *
 * @example
 * const name = safely('spanName', () => options.spanName(info), 'GET')
 * const parsed = safely('parsing the URL', parseUrl, undefined, href)
 */
export function safely<T>(what: string, fn: () => T, fallback: T): T
export function safely<T, A>(what: string, fn: (a: A) => T, fallback: T, a: A): T
export function safely<T, A, B>(what: string, fn: (a: A, b: B) => T, fallback: T, a: A, b: B): T
export function safely<T, A, B>(what: string, fn: (a: A, b: B) => T, fallback: T, a?: A, b?: B): T {
  try {
    return fn(a as A, b as B)
  } catch (error) {
    reportThrown(what, error)
    return fallback
  }
}

/**
 * What `safely` reports, for a guard written as `try`/`catch` where even the arguments of
 * `safely` would cost an allocation per request (a method call on the handle).
 *
 * @example
 * try {
 *   span.end()
 * } catch (error) {
 *   reportThrown('ending the span', error)
 * }
 */
export function reportThrown(what: string, error: unknown): void {
  diag.error(`otel-http: ${what} threw; the request proceeds untouched`, error)
}
