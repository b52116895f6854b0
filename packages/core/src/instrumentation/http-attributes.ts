// Stable HTTP semantic conventions: a method outside the known set is reported as "_OTHER"
// (with the original kept) so span names and attributes have bounded cardinality.
const KNOWN_METHODS = [
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
  'QUERY',
]

export interface NormalizedMethod {
  /** Value for `http.request.method`. */
  readonly method: string
  /** Set when the method was not a known one (`http.request.method_original`). */
  readonly original?: string
}

// One shared answer per known method: the per-request path neither upper-cases nor allocates
// for a method already spelled as it should be.
const NORMALIZED = new Map<string, NormalizedMethod>(
  KNOWN_METHODS.map((method) => [method, Object.freeze({ method })]),
)

export function normalizeMethod(raw: string | undefined): NormalizedMethod {
  const known = NORMALIZED.get(raw ?? 'GET')
  if (known) return known
  const upper = NORMALIZED.get((raw ?? '').toUpperCase())
  return upper ?? { method: '_OTHER', original: raw ?? '' }
}

const SENSITIVE_QUERY = /^(awsaccesskeyid|signature|sig|x-goog-signature)$/i
// Every sensitive name contains "sig" or "key" (any case) unless percent-encoded: a query
// without either is recorded as it is, without copying and re-parsing the URL per request.
const MAY_BE_SENSITIVE = /sig|key|%/i

/**
 * `url.full` without what must not be recorded: credentials in the userinfo part and the query
 * parameters semconv marks as sensitive (presigned-URL signatures).
 */
export function redactedUrl(url: URL): string {
  if (!url.username && !url.password && (!url.search || !MAY_BE_SENSITIVE.test(url.search))) return url.href
  const copy = new URL(url.href)
  if (copy.username || copy.password) {
    copy.username = 'REDACTED'
    copy.password = 'REDACTED'
  }
  if (copy.search) {
    let changed = false
    for (const key of [...copy.searchParams.keys()]) {
      if (SENSITIVE_QUERY.test(key)) {
        copy.searchParams.set(key, 'REDACTED')
        changed = true
      }
    }
    if (!changed) return copy.href
  }
  return copy.href
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 }

export function serverPort(url: URL): number | undefined {
  return url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol]
}

/** `error.type` for a failed request: the most specific stable name the error offers. */
export function errorType(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; name?: unknown; cause?: { code?: unknown; name?: unknown } }
    if (typeof e.code === 'string' && e.code) return e.code
    if (typeof e.cause?.code === 'string' && e.cause.code) return e.cause.code
    if (typeof e.name === 'string' && e.name && e.name !== 'Error') return e.name
    if (typeof e.cause?.name === 'string' && e.cause.name && e.cause.name !== 'Error') return e.cause.name
  }
  return '_OTHER'
}

/**
 * `error.type` of a client request: the failure's type when there is one, else the status code
 * for 4xx and 5xx (a client treats both as errors, as the HTTP semantic conventions say).
 */
export function clientErrorType(status: number | undefined, failure: unknown): string | undefined {
  if (failure !== undefined) return errorType(failure)
  return status !== undefined && status >= 400 ? String(status) : undefined
}

/**
 * `error.type` of a served request, in the order its span records them: the server's own failure
 * (the handler threw; not a 4xx error a framework answered), else a connection closed early, else
 * the status code for 5xx (a 4xx is the caller's error).
 */
export function serverErrorType(
  { status, closedEarly }: { status?: number; closedEarly?: boolean },
  failure: unknown,
): string | undefined {
  if (failure !== undefined) return errorType(failure)
  if (closedEarly) return 'connection_closed'
  return status !== undefined && status >= 500 ? String(status) : undefined
}
