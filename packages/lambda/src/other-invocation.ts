import {
  type Attributes,
  ROOT_CONTEXT,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api'
import { errorType, safely } from '@otel-http/core'
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
    const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes, root: !xray }, parent)
    return {
      context: trace.setSpan(parent, span),
      end({ error }) {
        if (error !== undefined) {
          safely(
            'recording the error',
            () => {
              span.setAttribute('error.type', errorType(error))
              if (error instanceof Error) span.recordException(error)
              span.setStatus({
                code: SpanStatusCode.ERROR,
                message: error instanceof Error ? error.message : String(error),
              })
            },
            undefined,
          )
        }
        span.end()
      },
    }
  }
}
