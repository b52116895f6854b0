import type { Dispatcher } from 'undici'

/**
 * The URL a dispatch goes to, from `opts.origin` + `opts.path` (+ `opts.query`, which undici
 * appends itself). The two are concatenated, never resolved against each other, so a path like
 * `//other.host/x` cannot move the request to another origin in our eyes. Undefined when the
 * dispatch has no origin (a `Client` or `Pool` fills it in below us).
 */
export function requestUrl(opts: Dispatcher.DispatchOptions): URL | undefined {
  const { origin, path, query } = opts
  if (origin == null) return undefined
  let base = typeof origin === 'string' ? origin : origin.origin
  if (base.endsWith('/')) base = base.slice(0, -1)
  const url = new URL(path.startsWith('/') ? base + path : `${base}/${path}`)
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, String(item))
      else if (value !== undefined) url.searchParams.append(key, String(value))
    }
  }
  return url
}
