import type { InternalAxiosRequestConfig } from 'axios'

/** The instance's `getUri`: axios's own answer, exact but slow (it merges the config with the defaults again). */
export type GetUri = (config: InternalAxiosRequestConfig) => string

// axios's own rules (helpers/isAbsoluteURL, helpers/combineURLs, core/buildFullPath).
const ABSOLUTE = /^([a-z][a-z\d+\-.]*:)?\/\//i
const MALFORMED_HTTP = /^\s*https?:(?!\/\/)/i

function combine(baseURL: string, relative: string): string {
  if (!relative) return baseURL
  let end = baseURL.length
  while (end > 0 && baseURL.charCodeAt(end - 1) === 0x2f) end--
  return `${baseURL.slice(0, end)}/${relative.replace(/^\/+/, '')}`
}

/**
 * The URL string axios will request. Without `params` it is baseURL + url by axios's rules;
 * anything else (params to serialise, a URL axios will reject) goes through `getUri`, which is
 * exact but merges the whole config with the instance defaults again: too costly per request.
 */
function requestUri(getUri: GetUri, config: InternalAxiosRequestConfig): string {
  const { baseURL, url = '', params, allowAbsoluteUrls } = config
  if (
    params == null &&
    typeof url === 'string' &&
    (baseURL === undefined || typeof baseURL === 'string') &&
    !MALFORMED_HTTP.test(url) &&
    !(baseURL && MALFORMED_HTTP.test(baseURL))
  ) {
    return baseURL && (!ABSOLUTE.test(url) || allowAbsoluteUrls === false) ? combine(baseURL, url) : url
  }
  return getUri(config)
}

/**
 * The URL axios will request: baseURL + url + params, serialised as axios does. Undefined for a
 * relative URL outside a document: axios rejects it as it would anyway, tracing stays out of it.
 */
export function requestUrl(getUri: GetUri, config: InternalAxiosRequestConfig): URL | undefined {
  try {
    return new URL(requestUri(getUri, config), globalThis.location?.href)
  } catch {
    return undefined
  }
}
