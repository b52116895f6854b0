import type { Span, SpanContext } from '@opentelemetry/api'
import { parseXrayHeader } from './xray-header'

/**
 * The span context in an X-Ray trace header (`Root=1-…;Parent=…;Sampled=1`), or undefined when
 * the header is absent or malformed.
 */
export function xrayContext(header: string | null | undefined): SpanContext | undefined {
  return typeof header === 'string' && header ? parseXrayHeader(header) : undefined
}

/** The invocation's X-Ray header, which the Lambda runtime sets before each invocation. */
export function invocationXrayHeader(): string | undefined {
  return globalThis.process?.env?._X_AMZN_TRACE_ID
}

/**
 * Links `span` to an X-Ray context that did not become its parent. Added after the span starts,
 * because the core span helpers own the start; spans of an API older than 1.9 have no `addLink`.
 */
export function addXrayLink(span: Span | undefined, xray: SpanContext | undefined): void {
  if (!span || !xray || typeof span.addLink !== 'function') return
  const own = span.spanContext()
  if (own.traceId === xray.traceId && own.spanId === xray.spanId) return
  span.addLink({ context: xray })
}
