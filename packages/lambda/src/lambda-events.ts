// Structural views of the Lambda event shapes this package reads: only the fields it uses, so the
// package needs neither `@types/aws-lambda` nor the AWS SDK at runtime or in its declarations.
// `@types/aws-lambda`'s APIGatewayProxyEvent, APIGatewayProxyEventV2, ALBEvent, LambdaFunctionURLEvent,
// SQSEvent and SNSEvent are all assignable to them.

type Maybe<T> = T | null | undefined

/** API Gateway REST API (payload 1.0) and ALB: single- and/or multi-value headers. */
export interface HttpEventV1 {
  httpMethod: string
  path: string
  resource?: string
  headers?: Maybe<Record<string, string | undefined>>
  multiValueHeaders?: Maybe<Record<string, string[] | undefined>>
  queryStringParameters?: Maybe<Record<string, string | undefined>>
  multiValueQueryStringParameters?: Maybe<Record<string, string[] | undefined>>
  requestContext?: {
    elb?: { targetGroupArn?: string }
    domainName?: string
    protocol?: string
    identity?: { sourceIp?: string }
  }
}

/** API Gateway HTTP API (payload 2.0) and Lambda Function URLs: `cookie` is moved to `cookies`. */
export interface HttpEventV2 {
  version: string
  routeKey?: string
  rawPath: string
  rawQueryString?: string
  cookies?: string[]
  headers?: Maybe<Record<string, string | undefined>>
  requestContext: {
    domainName?: string
    http: { method: string; protocol?: string; sourceIp?: string }
  }
}

/** An SQS message attribute as Lambda delivers it: lower-case keys, unlike the SDK's. */
export interface SqsRecordAttribute {
  stringValue?: string
  dataType: string
}

export interface SqsRecord {
  messageId: string
  eventSource: string
  eventSourceARN?: string
  attributes?: { AWSTraceHeader?: string }
  messageAttributes?: Maybe<Record<string, SqsRecordAttribute | undefined>>
}

export interface SnsRecord {
  EventSource: string
  EventSubscriptionArn?: string
  Sns: {
    MessageId: string
    TopicArn?: string
    MessageAttributes?: Maybe<Record<string, { Type: string; Value: string } | undefined>>
  }
}

/** The fields of the Lambda `context` argument that end up on the invocation span. */
export interface LambdaContextLike {
  awsRequestId: string
  functionName?: string
  functionVersion?: string
  invokedFunctionArn?: string
}

/** Which trigger an event came from; `other` covers direct invokes, EventBridge, S3… */
export type LambdaEvent =
  | { kind: 'api-gateway-v1'; event: HttpEventV1 }
  | { kind: 'alb'; event: HttpEventV1 }
  | { kind: 'api-gateway-v2'; event: HttpEventV2 }
  | { kind: 'function-url'; event: HttpEventV2 }
  | { kind: 'sqs'; records: SqsRecord[] }
  | { kind: 'sns'; records: SnsRecord[] }
  | { kind: 'other' }

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null

/**
 * Tells the trigger from the event's shape, as Lambda gives no other hint. A Function URL event
 * is a payload 2.0 event whose domain is `<id>.lambda-url.<region>.on.aws`.
 */
export function classifyEvent(event: unknown): LambdaEvent {
  if (!isObject(event)) return { kind: 'other' }
  const requestContext = isObject(event.requestContext) ? event.requestContext : undefined
  if (event.version === '2.0' && requestContext && isObject(requestContext.http)) {
    const v2 = event as unknown as HttpEventV2
    const domain = typeof requestContext.domainName === 'string' ? requestContext.domainName : ''
    return { kind: domain.includes('.lambda-url.') ? 'function-url' : 'api-gateway-v2', event: v2 }
  }
  if (typeof event.httpMethod === 'string' && typeof event.path === 'string') {
    const v1 = event as unknown as HttpEventV1
    return { kind: requestContext && isObject(requestContext.elb) ? 'alb' : 'api-gateway-v1', event: v1 }
  }
  if (Array.isArray(event.Records) && event.Records.length > 0 && isObject(event.Records[0])) {
    const first = event.Records[0]
    if (first.eventSource === 'aws:sqs') return { kind: 'sqs', records: event.Records as SqsRecord[] }
    if (first.EventSource === 'aws:sns') return { kind: 'sns', records: event.Records as SnsRecord[] }
  }
  return { kind: 'other' }
}
