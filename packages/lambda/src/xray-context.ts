import { ROOT_CONTEXT, type Span, type SpanContext, type TextMapGetter, trace } from '@opentelemetry/api'
import { AWSXRAY_TRACE_ID_HEADER, AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray'

const propagator = new AWSXRayPropagator()

// The X-Ray header reaches a function as a bare string (the `_X_AMZN_TRACE_ID` variable, an SQS
// record's `AWSTraceHeader` attribute): present it to the propagator as a one-header carrier.
const traceHeaderGetter: TextMapGetter<string> = {
  keys: () => [AWSXRAY_TRACE_ID_HEADER],
  get: (header, key) => (key.toLowerCase() === AWSXRAY_TRACE_ID_HEADER ? header : undefined),
}

/**
 * The span context in an X-Ray trace header (`Root=1-…;Parent=…;Sampled=1`), or undefined when
 * the header is absent or malformed.
 */
export function xrayContext(header: string | null | undefined): SpanContext | undefined {
  if (!header) return undefined
  return trace.getSpanContext(propagator.extract(ROOT_CONTEXT, header, traceHeaderGetter))
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
