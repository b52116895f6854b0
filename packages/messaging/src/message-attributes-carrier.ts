import type { TextMapSetter } from '@opentelemetry/api'
import { type MessageAttributeLike, messageAttributesGetter, validatingSetter } from '@otel-http/core'

/** A message's `MessageAttributes` (SQS and SNS share the shape). */
export type MessageAttributes<A = MessageAttributeLike> = Record<string, A>

/** What the setter writes: the attribute form both SQS and SNS accept. */
export interface StringMessageAttribute {
  DataType: 'String'
  StringValue: string
}

/**
 * Reads W3C fields from SQS `MessageAttributes`: the SDK's `{ DataType, StringValue }` and a
 * Lambda record's `{ dataType, stringValue }`. A name that differs only in case is accepted when
 * the exact one is absent; binary attributes are skipped. The reader `@otel-http/lambda` uses too.
 *
 * @example
 * const parent = propagation.extract(ROOT_CONTEXT, message.MessageAttributes, sqsAttributesGetter)
 */
export const sqsAttributesGetter = messageAttributesGetter

/**
 * Writes a W3C field as a `String` attribute, replacing any case variant of its name. It adds
 * attributes without regard to SQS's limit of 10: `injectSqsAttributes` enforces it. A value no
 * HTTP header could carry (CR, LF, controls, above U+00FF, not a string) is dropped, as by every
 * otel-http setter.
 *
 * @example
 * propagation.inject(context.active(), attributes, sqsAttributesSetter)
 */
export const sqsAttributesSetter: TextMapSetter<
  MessageAttributes<MessageAttributeLike | StringMessageAttribute>
> = validatingSetter({
  set(attributes, key, value) {
    const wanted = key.toLowerCase()
    for (const name of Object.keys(attributes)) {
      if (name !== key && name.toLowerCase() === wanted) delete attributes[name]
    }
    attributes[key] = { DataType: 'String', StringValue: value }
  },
})

/**
 * Reads W3C fields from SNS `MessageAttributes`, including the `{ Type, Value }` form of the
 * JSON body SNS delivers to a queue without raw delivery.
 *
 * @example
 * const body = JSON.parse(message.Body)
 * const parent = propagation.extract(ROOT_CONTEXT, body.MessageAttributes, snsAttributesGetter)
 */
export const snsAttributesGetter = messageAttributesGetter

/**
 * Writes a W3C field as a `String` attribute of an SNS `Publish`; `injectSnsAttributes` keeps
 * within the 10 attributes SNS delivers to an SQS subscriber.
 *
 * @example
 * propagation.inject(context.active(), attributes, snsAttributesSetter)
 */
export const snsAttributesSetter = sqsAttributesSetter
