import { type Attributes, ROOT_CONTEXT, type SpanContext, SpanKind, trace } from '@opentelemetry/api'
import { recordError, safely } from '@otel-http/core'
import { type Invocation, SCOPE } from './invocation'
import type { LambdaOptions } from './lambda-options'

/**
 * A SERVER span named after the function for triggers that carry no trace context of their
 * own (direct invokes, EventBridge, S3…): Lambda's X-Ray context is its parent when set.
 */
export function createOtherInvocations(options: LambdaOptions) {
  const tracer = (options.tracerProvider ?? trace).getTracer(SCOPE.name, SCOPE.version)

  return function startOtherInvocation(
    name: string,
    xray: SpanContext | undefined,
    attributes: Attributes,
  ): Invocation {
    const parent = xray ? trace.setSpanContext(ROOT_CONTEXT, xray) : ROOT_CONTEXT
    const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes, root: !xray }, parent)
    return {
      context: trace.setSpan(parent, span),
      end({ error }) {
        if (error !== undefined) {
          safely('recording the error', () => recordError(span, error), undefined)
        }
        span.end()
      },
    }
  }
}
