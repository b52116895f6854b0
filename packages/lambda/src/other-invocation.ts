import { type Attributes, ROOT_CONTEXT, type SpanContext, SpanKind, trace } from '@opentelemetry/api'
import { RequestHandle, safely } from '@otel-http/core'
import { type Invocation, SCOPE } from './invocation'
import type { LambdaOptions } from './lambda-options'

/**
 * A SERVER span named after the function for triggers that carry no trace context of their
 * own (direct invokes, EventBridge, S3…): Lambda's X-Ray context is its parent when set.
 */
export function createOtherInvocations(options: LambdaOptions) {
  const tracer = (options.tracerProvider ?? trace).getTracer(SCOPE.name)

  return function startOtherInvocation(
    name: string,
    xray: SpanContext | undefined,
    attributes: Attributes,
  ): Invocation {
    const parent = xray ? trace.setSpanContext(ROOT_CONTEXT, xray) : ROOT_CONTEXT
    const span = safely(
      'starting the invocation span',
      () => tracer.startSpan(name, { kind: SpanKind.SERVER, attributes, root: !xray }, parent),
      undefined,
    )
    const handle = new RequestHandle(span, span ? trace.setSpan(parent, span) : parent)
    return { context: handle.context, end: ({ error }) => handle.end({ error }) }
  }
}
