/**
 * Which URLs an option applies to: a list of origins / URL prefixes / RegExps, or a function.
 * Used by `propagateTo` (where headers may go) and `ignore` (what is not traced).
 */
export type UrlMatch = ReadonlyArray<string | RegExp> | ((url: URL) => boolean)

const BOUNDARY = new Set(['/', '?', '#'])

function prefixMatcher(pattern: string): (url: URL) => boolean {
  let parsed: URL
  try {
    parsed = new URL(pattern)
  } catch {
    throw new TypeError(
      `otel-http: "${pattern}" is not an absolute URL (expected e.g. "https://api.example.com")`,
    )
  }
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
 * string that names an allowed host does not match). A RegExp is tested against the full URL.
 */
export function compileUrlMatch(match: UrlMatch | undefined, whenUnset: boolean): (url: URL) => boolean {
  if (match === undefined) return () => whenUnset
  if (typeof match === 'function') return match
  const tests = match.map((entry) => {
    if (typeof entry === 'string') return prefixMatcher(entry)
    const re = entry
    return (url: URL) => {
      re.lastIndex = 0
      return re.test(url.href)
    }
  })
  return (url) => tests.some((test) => test(url))
}
