/** Response headers as undici's controller API reports them: lower-case names. */
export type ResponseHeaders = Record<string, string | string[] | undefined>

const text = (value: unknown): string => (typeof value === 'string' ? value : String(value))

/**
 * Parses the flat `[name, value, …]` Buffer or string array the legacy handler API receives.
 * Only used when a `responseHook` wants the headers.
 */
export function parseRawHeaders(raw: ReadonlyArray<unknown> | null | undefined): ResponseHeaders {
  const headers: ResponseHeaders = {}
  if (!raw) return headers
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = text(raw[i]).toLowerCase()
    const raw1 = raw[i + 1]
    const value = Array.isArray(raw1) ? raw1.map(text) : text(raw1)
    const existing = headers[name]
    if (existing === undefined) headers[name] = value
    else headers[name] = ([] as string[]).concat(existing, value)
  }
  return headers
}
