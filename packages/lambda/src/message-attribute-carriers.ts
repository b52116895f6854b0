import type { TextMapGetter } from '@opentelemetry/api'
import type { SnsRecord, SqsRecord } from './lambda-events'

// Attribute names are case-sensitive in SQS and SNS, but a producer that is not otel-http may
// have written `Traceparent`: an exact match wins, any case is accepted.
function lookup<T>(attributes: Record<string, T | undefined> | null | undefined, key: string): T | undefined {
  if (!attributes) return undefined
  const exact = attributes[key]
  if (exact !== undefined) return exact
  const wanted = key.toLowerCase()
  for (const name in attributes) if (name.toLowerCase() === wanted) return attributes[name]
  return undefined
}

/**
 * Reads trace context from an SQS record's `messageAttributes` as Lambda delivers them
 * (`{ stringValue, dataType }`). Binary attributes are skipped.
 */
export const sqsRecordGetter: TextMapGetter<SqsRecord> = {
  keys: (record) => Object.keys(record.messageAttributes ?? {}),
  get(record, key) {
    const attribute = lookup(record.messageAttributes, key)
    return attribute?.dataType.startsWith('String') ? attribute.stringValue : undefined
  },
}

/** Reads trace context from an SNS record's `Sns.MessageAttributes` (`{ Type, Value }`). */
export const snsRecordGetter: TextMapGetter<SnsRecord> = {
  keys: (record) => Object.keys(record.Sns.MessageAttributes ?? {}),
  get(record, key) {
    const attribute = lookup(record.Sns.MessageAttributes, key)
    return attribute?.Type.startsWith('String') ? attribute.Value : undefined
  },
}
