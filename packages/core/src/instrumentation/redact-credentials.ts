import type { Exception } from '@opentelemetry/api'
import { redactedUrl } from './http-attributes'

// A URL inside free text (an error message, a stack): a scheme, "://", then anything up to
// whitespace or a quote.
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi
// For a URL the parser refuses: the userinfo ends at the last "@" before the path.
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#\\]*@/i

/**
 * `text` with every URL in it redacted as `url.full` is (`REDACTED:REDACTED@` for credentials,
 * `REDACTED` for presigned-URL signatures): platforms quote the request URL in their errors
 * (Node's fetch: "Request cannot be constructed from a URL that includes credentials: …").
 */
export function redactCredentials(text: string): string {
  // A getter may hand back anything as a message.
  if (typeof text !== 'string' || !text.includes('://')) return text
  return text.replace(URL_IN_TEXT, (found) => {
    let url: URL
    try {
      url = new URL(found)
    } catch {
      return found.replace(USERINFO, '$1REDACTED:REDACTED@')
    }
    const redacted = redactedUrl(url)
    return redacted === url.href ? found : redacted
  })
}

/**
 * The error as a span's exception event should carry it: the error itself when its message and
 * stack hold nothing to redact, otherwise a copy (name, code, message, stack) with the URLs
 * redacted. The error the caller receives is never changed.
 */
export function redactedException(error: Error): Exception {
  const message = redactCredentials(error.message)
  const stack = error.stack === undefined ? undefined : redactCredentials(error.stack)
  if (message === error.message && stack === error.stack) return error
  const { code } = error as { code?: unknown }
  return {
    name: error.name,
    message,
    stack,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
  }
}
