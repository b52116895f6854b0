import { readFileSync } from 'node:fs'
import type {
  ALBEvent,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  Context,
  LambdaFunctionURLEvent,
  SNSEvent,
  SQSEvent,
} from 'aws-lambda'
import { afterEach, beforeEach } from 'vitest'

interface Fixtures {
  'api-gateway-v1': APIGatewayProxyEvent
  'api-gateway-v2': APIGatewayProxyEventV2
  alb: ALBEvent
  'alb-multi-value': ALBEvent
  'function-url': LambdaFunctionURLEvent
  sqs: SQSEvent
  'sqs-xray': SQSEvent
  sns: SNSEvent
}

/** A fresh copy of a sample event (modelled on AWS's documented examples) from ./fixtures. */
export function loadEvent<K extends keyof Fixtures>(name: K): Fixtures[K] {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Fixtures[K]
}

/** The `context` argument the Lambda Node.js runtime passes, for an invocation through the `live` alias. */
export function lambdaContext(awsRequestId = 'b8f0c6e2-5d4a-4f7e-9a3b-2c1d0e9f8a7b'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'orders-api',
    functionVersion: '12',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-api:live',
    memoryLimitInMB: '512',
    awsRequestId,
    logGroupName: '/aws/lambda/orders-api',
    logStreamName: '2024/03/13/[12]8c6a0f1e2d3b4c5a6978f0e1d2c3b4a5',
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  }
}

/** An X-Ray trace header as Lambda sets it in `_X_AMZN_TRACE_ID`. */
export const ENV_XRAY = 'Root=1-65f1c2a3-0123456789abcdef01234567;Parent=0a1b2c3d4e5f6a7b;Sampled=1'

/** For the tests of one file: each starts with no recorded span and no `_X_AMZN_TRACE_ID`, and leaves none. */
export function freshInvocations(tracing: { reset(): void }): void {
  beforeEach(() => {
    tracing.reset()
    delete process.env._X_AMZN_TRACE_ID
  })
  afterEach(() => {
    delete process.env._X_AMZN_TRACE_ID
  })
}
