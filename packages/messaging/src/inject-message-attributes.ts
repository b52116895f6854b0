import { diag } from '@opentelemetry/api'
import type { MessageAttributeLike, OutboundHandle } from '@otel-http/core'
import {
  type MessageAttributes,
  type StringMessageAttribute,
  sqsAttributesSetter,
} from './message-attributes-carrier'

/** Anything that can inject a context: the `OutboundHandle` handed to `traceSend`'s callback. */
export type Injector = Pick<OutboundHandle, 'inject'>

export interface InjectAttributesOptions {
  /**
   * The most attributes a message may carry: 10 on SQS, and on SNS messages delivered to SQS.
   * When the message's own attributes leave too little room, the fields that do not fit are
   * left out (baggage first, `traceparent` last) and a diag warning names them.
   */
  maxAttributes?: number
}

// When room is short, the trace itself matters more than vendor state, and both more than baggage.
const PRIORITY = ['traceparent', 'tracestate']
const rank = (key: string): number => {
  const index = PRIORITY.indexOf(key.toLowerCase())
  return index === -1 ? PRIORITY.length + (key.toLowerCase() === 'baggage' ? 1 : 0) : index
}

/** `injectSqsAttributes` and `injectSnsAttributes`: the same rules, named for their service. */
export type AttributesInjector = <A extends MessageAttributeLike = StringMessageAttribute>(
  send: Injector,
  attributes?: MessageAttributes<A>,
  options?: InjectAttributesOptions,
) => MessageAttributes<A | StringMessageAttribute>

function injectAttributes<A extends MessageAttributeLike>(
  service: string,
  send: Injector,
  attributes: MessageAttributes<A> | undefined,
  maxAttributes: number,
): MessageAttributes<A | StringMessageAttribute> {
  const fields: MessageAttributes<StringMessageAttribute> = {}
  send.inject(fields, sqsAttributesSetter)
  const result: MessageAttributes<A | StringMessageAttribute> = { ...attributes }
  const dropped: string[] = []
  for (const key of Object.keys(fields).sort((a, b) => rank(a) - rank(b))) {
    const before = Object.keys(result).length
    const replaces = Object.keys(result).some((name) => name.toLowerCase() === key.toLowerCase())
    if (!replaces && before >= maxAttributes) {
      dropped.push(key)
      continue
    }
    sqsAttributesSetter.set(result, key, fields[key]!.StringValue)
  }
  if (dropped.length > 0) {
    const breaks = dropped.some((key) => key.toLowerCase() === 'traceparent')
    diag.warn(
      `otel-http: ${service} allows ${maxAttributes} message attributes and the message already has ` +
        `${Object.keys(attributes ?? {}).length}; not sent: ${dropped.join(', ')}` +
        (breaks ? ' (the consumer will start a new trace)' : ''),
    )
  }
  return result
}

// The service only names itself in the warning: SQS and SNS share the shape and the limit.
const attributesInjector =
  (service: string): AttributesInjector =>
  (send, attributes, { maxAttributes = 10 } = {}) =>
    injectAttributes(service, send, attributes, maxAttributes)

/**
 * A copy of `attributes` with the send's trace context added as `String` attributes, within
 * SQS's limit of 10 attributes per message. The caller's object is not modified.
 *
 * @example
 * await traceSend({ system: 'aws_sqs', destination: 'jobs' }, (send) =>
 *   sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageAttributes: injectSqsAttributes(send) })),
 * )
 */
export const injectSqsAttributes: AttributesInjector = attributesInjector('SQS')

/**
 * A copy of `attributes` with the send's trace context added, for SNS `Publish` and
 * `PublishBatch`. SNS delivers at most 10 attributes to an SQS subscriber, hence the default.
 *
 * @example
 * await traceSend({ system: 'aws.sns', destination: 'orders' }, (send) =>
 *   sns.send(new PublishCommand({ TopicArn, Message, MessageAttributes: injectSnsAttributes(send) })),
 * )
 */
export const injectSnsAttributes: AttributesInjector = attributesInjector('SNS')
