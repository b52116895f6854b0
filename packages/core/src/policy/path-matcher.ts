/**
 * Which request paths an option applies to: paths, RegExps, or a predicate.
 *
 * @example
 * const ignore: PathMatch = ['/health', /^\/internal\//] // or (path, request) => boolean
 */
export type PathMatch<Req = unknown> =
  | ReadonlyArray<string | RegExp>
  | ((path: string, request: Req) => boolean)

/**
 * Compiles a `PathMatch` once. A string matches the path exactly or as a prefix ending at a
 * `/` boundary (`/health` matches `/health/db`, never `/healthz`); a RegExp is tested against
 * the path (no query).
 */
export function compilePathMatch<Req>(
  match: PathMatch<Req> | undefined,
): ((path: string, request: Req) => boolean) | undefined {
  if (match === undefined) return undefined
  if (typeof match === 'function') return match
  const tests = match.map((entry) => {
    if (typeof entry !== 'string') {
      const re = entry
      return (path: string) => {
        re.lastIndex = 0
        return re.test(path)
      }
    }
    const prefix = entry.endsWith('/') ? entry : `${entry}/`
    return (path: string) => path === entry || path.startsWith(prefix)
  })
  return (path) => tests.some((test) => test(path))
}
