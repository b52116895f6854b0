/** The parts of a `Request` tracedFetch reads; structural, so a `Request` from any realm (Node, undici, a polyfill) fits. */
interface RequestLike {
  readonly url: string
  readonly method: string
  readonly headers: unknown
}

/** What tracing needs to know about a `fetch(input, init)` call before it is made. */
export interface FetchTarget {
  /** Parses the URL as fetch would; undefined when it cannot (fetch itself rejects the call). */
  url: () => URL | undefined
  method: string
  /** The headers the request would carry: `init.headers` when given (it replaces the Request's), else the Request's. */
  headers: unknown
  /**
   * Whether `dispatcher` is the one fetch uses: false when a `Request` without one in `init` is
   * passed, as it may carry a dispatcher of its own, which fetch uses and nothing can read.
   */
  dispatcherKnown: boolean
  /** The undici dispatcher the call names in `init`, or undefined. */
  dispatcher: unknown
}

const isRequestLike = (input: unknown): input is RequestLike =>
  typeof input === 'object' &&
  input !== null &&
  typeof (input as RequestLike).url === 'string' &&
  typeof (input as RequestLike).method === 'string'

function parseUrl(text: string): URL | undefined {
  try {
    // A relative URL is only meaningful in a document (browsers, some workers); resolve it like fetch does.
    return new URL(text, globalThis.location?.href)
  } catch {
    return undefined
  }
}

/**
 * Reads the method and headers of a fetch call, and how to get its URL, without touching the
 * body. The URL is parsed only if tracing needs it; when it cannot be parsed, fetch itself
 * reports that to the caller and tracing stays out of the way.
 */
export function readFetchInput(
  input: unknown,
  init: { method?: string; headers?: unknown; dispatcher?: unknown } | undefined,
) {
  const request = isRequestLike(input) ? input : undefined
  const dispatcher = init?.dispatcher
  const target: FetchTarget = {
    url: () => parseUrl(request ? request.url : String(input)),
    method: init?.method ?? request?.method ?? 'GET',
    headers: init?.headers !== undefined ? init.headers : request?.headers,
    dispatcherKnown: dispatcher !== undefined || request === undefined,
    dispatcher,
  }
  return target
}
