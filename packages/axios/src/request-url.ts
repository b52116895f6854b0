import type { InternalAxiosRequestConfig } from 'axios'

/** The instance's `getUri`: axios's own answer, exact but slow (it merges the config with the defaults again). */
export type GetUri = (config: InternalAxiosRequestConfig) => string

const HTTP_URL = /^https?:\/\//i
// A path: no scheme (nothing axios would call absolute or reject as malformed), not `//host`.
const isPath = (url: string): boolean => !url.includes(':') && !url.startsWith('//')

// axios's helpers/combineURLs.
function combine(baseURL: string, path: string): string {
  if (!path) return baseURL
  let end = baseURL.length
  while (end > 0 && baseURL.charCodeAt(end - 1) === 0x2f) end--
  return `${baseURL.slice(0, end)}/${path.replace(/^\/+/, '')}`
}

/**
 * The URL string axios will request. `getUri` costs tens of µs per call (it merges the whole
 * config with the instance defaults again: bench/axios-request-url.ts), more than the rest of the
 * tracing together, so the common shapes are joined here by axios's rules (pinned against
 * `getUri` by test/request-url.test.ts): no `params`, and an http(s) URL or a path, alone or under
 * an http(s) `baseURL`. Everything else goes to `getUri`.
 */
function requestUri(getUri: GetUri, config: InternalAxiosRequestConfig): string {
  const { baseURL, url = '', params, allowAbsoluteUrls } = config
  if (params == null && typeof url === 'string') {
    if (!baseURL) {
      if (HTTP_URL.test(url) || isPath(url)) return url
    } else if (typeof baseURL === 'string' && HTTP_URL.test(baseURL)) {
      if (isPath(url)) return combine(baseURL, url)
      if (HTTP_URL.test(url) && allowAbsoluteUrls !== false) return url
    }
  }
  return getUri(config)
}

/**
 * The URL axios will request: baseURL + url + params, serialised as axios does. Undefined for a
 * relative URL outside a document, or one axios rejects as malformed: axios rejects the request
 * as it would anyway, tracing stays out of it.
 */
export function requestUrl(getUri: GetUri, config: InternalAxiosRequestConfig): URL | undefined {
  try {
    return new URL(requestUri(getUri, config), globalThis.location?.href)
  } catch {
    return undefined
  }
}
