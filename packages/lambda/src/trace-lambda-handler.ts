import { context, trace } from '@opentelemetry/api'
import { type RequestOutcome, safely } from '@otel-http/core'
import { takeColdStart } from './cold-start'
import { faasAttributes } from './faas-attributes'
import { flushWithin } from './flush'
import { createHttpInvocations } from './http-invocation'
import { requestViewV1, requestViewV2 } from './http-request'
import type { Invocation } from './invocation'
import { classifyEvent, type LambdaContextLike } from './lambda-events'
import { createOtherInvocations } from './other-invocation'
import { createQueueInvocations } from './queue-invocation'
import type { TraceLambdaHandlerOptions } from './trace-lambda-handler-options'
import { invocationXrayHeader, xrayContext } from './xray-context'

// Spans must reach the exporter before the handler returns (Lambda freezes the environment
// then), but a hung exporter must not keep a function that already has its answer.
const DEFAULT_FLUSH_TIMEOUT_MS = 2000
// Time kept back from the invocation's deadline so the result is returned before Lambda stops it.
const DEADLINE_MARGIN_MS = 100

/** An async Lambda handler: the `(event, context) => Promise<result>` form. */
export type AsyncLambdaHandler<E = unknown, R = unknown, C extends LambdaContextLike = LambdaContextLike> = (
  event: E,
  context: C,
) => Promise<R>

/**
 * Wraps an async Lambda handler so each invocation is traced:
 * - API Gateway REST and HTTP APIs, ALB and Function URL events get a SERVER span continuing the
 *   caller's `traceparent` (HTTP and `faas.*` attributes, status from the result's `statusCode`);
 * - SQS and SNS events get one span linked to every record and a process span per record, the
 *   child of the producer's span (see `recordContext` to work inside it);
 * - Lambda's X-Ray context (`_X_AMZN_TRACE_ID`, an SQS record's `AWSTraceHeader`) is the parent
 *   when no W3C context came, a link otherwise.
 * The tracer provider is flushed before the result is returned or the error rethrown.
 *
 * @example
 * import { traceLambdaHandler } from '@otel-http/lambda'
 * import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda'
 *
 * export const handler = traceLambdaHandler(
 *   async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
 *     return { statusCode: 200, body: JSON.stringify({ id: event.pathParameters?.id }) }
 *   },
 * )
 */
export function traceLambdaHandler<E, R, C extends LambdaContextLike>(
  handler: AsyncLambdaHandler<E, R, C>,
  options: TraceLambdaHandlerOptions = {},
): AsyncLambdaHandler<E, R, C> {
  const { flushTimeoutMs = DEFAULT_FLUSH_TIMEOUT_MS } = options
  const startHttp = createHttpInvocations(options)
  const startQueue = createQueueInvocations(options)
  const startOther = createOtherInvocations(options)

  function start(event: E, lambdaContext: C | undefined, coldStart: boolean): Invocation | undefined {
    const xray = xrayContext(invocationXrayHeader())
    const classified = classifyEvent(event)
    switch (classified.kind) {
      case 'api-gateway-v1':
      case 'alb':
        return startHttp({
          event: classified.event,
          view: requestViewV1(classified.event, classified.kind === 'alb'),
          xray,
          attributes: faasAttributes(lambdaContext, 'http', coldStart),
          implicitOk: false,
        })
      case 'api-gateway-v2':
      case 'function-url':
        return startHttp({
          event: classified.event,
          view: requestViewV2(classified.event),
          xray,
          attributes: faasAttributes(lambdaContext, 'http', coldStart),
          implicitOk: true,
        })
      case 'sqs':
      case 'sns':
        return startQueue({
          ...classified,
          xray,
          attributes: faasAttributes(lambdaContext, 'pubsub', coldStart),
        })
      default:
        return startOther(
          lambdaContext?.functionName || 'invoke',
          xray,
          faasAttributes(lambdaContext, 'other', coldStart),
        )
    }
  }

  async function finish(invocation: Invocation, outcome: RequestOutcome, lambdaContext?: C) {
    safely('ending the invocation span', () => invocation.end(outcome), undefined)
    const remaining = safely(
      'getRemainingTimeInMillis',
      () =>
        (
          lambdaContext as { getRemainingTimeInMillis?: () => number } | undefined
        )?.getRemainingTimeInMillis?.(),
      undefined,
    )
    const budget =
      remaining === undefined ? flushTimeoutMs : Math.min(flushTimeoutMs, remaining - DEADLINE_MARGIN_MS)
    await flushWithin(options.tracerProvider ?? trace.getTracerProvider(), budget)
  }

  return async function tracedLambdaHandler(event: E, lambdaContext: C): Promise<R> {
    const coldStart = takeColdStart()
    const invocation = safely(
      'starting the invocation span',
      () => start(event, lambdaContext, coldStart),
      undefined,
    )
    if (!invocation) return handler(event, lambdaContext)
    let result: R
    try {
      result = await context.with(invocation.context, () => handler(event, lambdaContext))
    } catch (error) {
      await finish(invocation, { error }, lambdaContext)
      throw error
    }
    await finish(invocation, { response: result }, lambdaContext)
    return result
  }
}
