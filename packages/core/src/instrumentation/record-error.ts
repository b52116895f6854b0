import { type Span, SpanStatusCode } from '@opentelemetry/api'
import { errorType } from './http-attributes'
import { redactCredentials, redactedException } from './redact-credentials'

/**
 * Marks a span as failed by `error`: `error.type`, an exception event when it is an Error, and
 * status ERROR with its message. Every span kind records failures this one way. URLs in the
 * message and stack are redacted as `url.full` is, so credentials never reach a span.
 */
export function recordError(span: Span, error: unknown): void {
  span.setAttribute('error.type', errorType(error))
  if (error instanceof Error) span.recordException(redactedException(error))
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: redactCredentials(error instanceof Error ? error.message : String(error)),
  })
}
