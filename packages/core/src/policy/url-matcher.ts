import { pageOrigin } from './page-origin'

/**
 * Which URLs an option applies to: a list of origins / URL prefixes / RegExps, or a function.
 * Used by `propagateTo` (where headers may go) and `ignore` (what is not traced). In a page,
 * an entry may be a path (`/api`): it resolves against the page's origin.
 *
 * @example
 * const propagateTo: UrlMatch = ['https://api.internal', /\.corp\.example$/] // or (url) => boolean
 */
export type UrlMatch = ReadonlyArray<string | RegExp> | ((url: URL) => boolean)

const BOUNDARY = new Set(['/', '?', '#'])

function parsePattern(pattern: string, page: string | undefined): URL {
  try {
    // Only a path resolves against the page: "api.example.com" is a forgotten scheme, not a
    // relative path, and must not silently become "https://page.example/api.example.com".
    return page !== undefined && pattern.startsWith('/') ? new URL(pattern, page) : new URL(pattern)
  } catch {
    throw new TypeError(
      `otel-http: "${pattern}" is not an absolute URL (e.g. "https://api.example.com") nor, in a page, a path ("/api")`,
    )
  }
}

function prefixMatcher(pattern: string, page: string | undefined): (url: URL) => boolean {
  const parsed = parsePattern(pattern, page)
  const origin = parsed.origin
  // The URL parser normalises case, default ports and an empty path to "/": compare like with like.
  const prefix = pattern.endsWith('/') || parsed.pathname !== '/' ? parsed.href.replace(/[?#].*$/, '') : null
  return (url) => {
    if (url.origin !== origin) return false
    if (prefix === null) return true
    const href = url.href
    if (!href.startsWith(prefix)) return false
    // "https://a.com/api" must match "/api", "/api/x", "/api?q" — not "/apix".
    return prefix.endsWith('/') || href.length === prefix.length || BOUNDARY.has(href[prefix.length]!)
  }
}

/**
 * Compiles a `UrlMatch` once into a predicate. A string matches when the URL's origin equals
 * it or the URL starts with it at a path boundary; never as a substring elsewhere (so a query
 * string that names an allowed host does not match). A string starting with "/" is a path (or a
 * scheme-relative "//host") resolved against `page`, the page's origin; outside a page it is an
 * error, as is any other string that is not an absolute URL. A RegExp is tested against the full URL.
 *
 * @example
 * const ignored = compileUrlMatch(['https://api.example.com/health', /\/metrics$/])
 * ignored(new URL('https://api.example.com/health?probe=1')) // true
 */
export function compileUrlMatch(
  match: UrlMatch,
  page: string | undefined = pageOrigin(),
): (url: URL) => boolean {
  if (typeof match === 'function') return match
  const tests = match.map((entry) => {
    if (typeof entry === 'string') return prefixMatcher(entry, page)
    const re = entry
    return (url: URL) => {
      re.lastIndex = 0
      return re.test(url.href)
    }
  })
  return (url) => tests.some((test) => test(url))
}
