import { pageOrigin } from './page-origin'
import { compileUrlMatch, type UrlMatch } from './url-matcher'

/**
 * Compiles `propagateTo` into the rule that decides which destinations receive `traceparent`,
 * `tracestate` and `baggage`; undefined means every destination (and no URL is needed).
 *
 * In a page (a global `location` with an http(s) origin) the page's own origin always receives
 * them and listed entries add to it, as `propagateTraceHeaderCorsUrls` does in OpenTelemetry's
 * instrumentation-fetch: a cross-origin request with these headers needs a CORS preflight that
 * allows them, and one that does not makes the browser fail a request that works untraced. So
 * nothing cross-origin gets them unless listed. Paths (`/api`) resolve against the page.
 * Elsewhere an unset `propagateTo` means every destination, as in Go's otelhttp and
 * OpenTelemetry JS's Node instrumentations: a server calls its own services far more often than
 * third parties, and baggage is public data that never carries secret-looking keys.
 * A function replaces the rule in both cases, the page's origin included.
 *
 * @example
 * // In a page at https://shop.example.com:
 * const allowed = compilePropagateTo(['https://api.example.com', '/checkout'])!
 * allowed(new URL('https://shop.example.com/cart')) // true: the page's own origin
 * allowed(new URL('https://api.example.com/prices')) // true: listed
 * allowed(new URL('https://tiles.example.net/1')) // false
 */
export function compilePropagateTo(
  propagateTo: UrlMatch | undefined,
  page: string | undefined = pageOrigin(),
): ((url: URL) => boolean) | undefined {
  if (typeof propagateTo === 'function') return propagateTo
  if (page === undefined) return propagateTo === undefined ? undefined : compileUrlMatch(propagateTo, page)
  const listed = propagateTo?.length ? compileUrlMatch(propagateTo, page) : undefined
  return listed ? (url) => url.origin === page || listed(url) : (url) => url.origin === page
}
