import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api'
import { validatingSetter } from '@otel-http/core'

/**
 * One SQS / SNS message attribute, in every shape it reaches a consumer: the SDK's
 * (`StringValue`), a Lambda event record's (`stringValue`) and the JSON body SNS delivers to a
 * subscribed queue without raw delivery (`Type`, `Value`). Structural, so the package never
 * imports the AWS SDK.
 */
export interface MessageAttributeLike {
  DataType?: string
  StringValue?: string
  stringValue?: string
  Value?: string
}

/** A message's `MessageAttributes` (SQS and SNS share the shape). */
export type MessageAttributes<A = MessageAttributeLike> = Record<string, A>

/** What the setter writes: the attribute form both SQS and SNS accept. */
export interface StringMessageAttribute {
  DataType: 'String'
  StringValue: string
}

function stringValue(attribute: MessageAttributeLike | undefined): string | undefined {
  if (attribute == null || typeof attribute !== 'object') return undefined
  const value = attribute.StringValue ?? attribute.stringValue ?? attribute.Value
  return typeof value === 'string' ? value : undefined
}

/**
 * Reads W3C fields from SQS or SNS `MessageAttributes`. Attribute names are case-sensitive on
 * AWS; a name that differs only in case is accepted when the exact one is absent.
 *
 * @example
 * const parent = propagation.extract(ROOT_CONTEXT, message.MessageAttributes, sqsAttributesGetter)
 */
export const sqsAttributesGetter: TextMapGetter<MessageAttributes | undefined> = {
  keys: (attributes) => Object.keys(attributes ?? {}),
  get(attributes, key) {
    if (!attributes) return undefined
    if (Object.hasOwn(attributes, key)) return stringValue(attributes[key])
    const wanted = key.toLowerCase()
    const name = Object.keys(attributes).find((k) => k.toLowerCase() === wanted)
    return name === undefined ? undefined : stringValue(attributes[name])
  },
}

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

/** SNS `MessageAttributes` have the SQS shape: the same getter. */
export const snsAttributesGetter = sqsAttributesGetter

/** SNS `MessageAttributes` have the SQS shape: the same setter. */
export const snsAttributesSetter = sqsAttributesSetter
