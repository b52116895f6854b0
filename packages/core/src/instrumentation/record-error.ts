import { type Span, SpanStatusCode } from '@opentelemetry/api'
import { errorType } from './http-attributes'

/**
 * Marks a span as failed by `error`: `error.type`, an exception event when it is an Error, and
 * status ERROR with its message. Every span kind records failures this one way.
 */
export function recordError(span: Span, error: unknown): void {
  span.setAttribute('error.type', errorType(error))
  if (error instanceof Error) span.recordException(error)
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  })
}
