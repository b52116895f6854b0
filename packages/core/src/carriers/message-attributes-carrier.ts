import type { TextMapGetter } from '@opentelemetry/api'

/**
 * One SQS / SNS message attribute, in every shape it reaches a consumer: the AWS SDK's
 * (`DataType`, `StringValue`), a Lambda SQS record's (`dataType`, `stringValue`), and a Lambda
 * SNS record's or the JSON body SNS delivers to a queue without raw delivery (`Type`, `Value`).
 * Structural, so nothing imports the AWS SDK.
 *
 * @example
 * const attributes: Record<string, MessageAttributeLike> = message.MessageAttributes ?? {}
 * const parent = propagation.extract(ROOT_CONTEXT, attributes, messageAttributesGetter)
 */
export interface MessageAttributeLike {
  DataType?: string
  StringValue?: string
  dataType?: string
  stringValue?: string
  Type?: string
  Value?: string
}

// `String` and custom `String.*` types carry text; `Binary` and `Number` attributes are skipped.
function stringValue(attribute: MessageAttributeLike | null | undefined): string | undefined {
  if (attribute == null || typeof attribute !== 'object') return undefined
  const type = attribute.DataType ?? attribute.dataType ?? attribute.Type
  if (typeof type === 'string' && !type.startsWith('String')) return undefined
  const value = attribute.StringValue ?? attribute.stringValue ?? attribute.Value
  return typeof value === 'string' ? value : undefined
}

/**
 * Reads W3C fields from SQS or SNS message attributes in any of their shapes. Attribute names
 * are case-sensitive on AWS, but a producer that is not ours may write `Traceparent`: the exact
 * name wins, a case variant is accepted when it is absent.
 *
 * @example
 * const parent = propagation.extract(ROOT_CONTEXT, message.MessageAttributes, messageAttributesGetter)
 */
export const messageAttributesGetter: TextMapGetter<
  Record<string, MessageAttributeLike | null | undefined> | null | undefined
> = {
  keys: (attributes) => Object.keys(attributes ?? {}),
  get(attributes, key) {
    if (attributes == null) return undefined
    if (Object.hasOwn(attributes, key)) return stringValue(attributes[key])
    const wanted = key.toLowerCase()
    const name = Object.keys(attributes).find((k) => k.toLowerCase() === wanted)
    return name === undefined ? undefined : stringValue(attributes[name])
  },
}
