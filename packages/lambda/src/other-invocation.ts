import { type Attributes, ROOT_CONTEXT, type SpanContext, SpanKind, trace } from '@opentelemetry/api'
import { compileOptions, RequestHandle } from '@otel-http/core'
import { type Invocation, SCOPE } from './invocation'
import type { TraceLambdaHandlerOptions } from './trace-lambda-handler-options'

/**
 * A SERVER span named after the function for triggers that carry no trace context of their
 * own (direct invokes, EventBridge, S3…): Lambda's X-Ray context is its parent when set.
 * Core compiles the options and guards the start; the handle ends the span once.
 */
export function createOtherInvocations(options: TraceLambdaHandlerOptions) {
  const { startSpan } = compileOptions(options, SCOPE)

  return function startOtherInvocation(
    name: string,
    xray: SpanContext | undefined,
    attributes: Attributes,
  ): Invocation {
    const parent = xray ? trace.setSpanContext(ROOT_CONTEXT, xray) : ROOT_CONTEXT
    const span = startSpan(name, { kind: SpanKind.SERVER, attributes, root: !xray }, parent)
    return new RequestHandle(span, span ? trace.setSpan(parent, span) : parent)
  }
}
