import { messageAttributesGetter } from '@otel-http/core'
import type { SnsRecord, SqsRecord } from './lambda-events'
import { projectedGetter } from './projected-getter'

/**
 * Reads trace context from an SQS record's `messageAttributes` as Lambda delivers them
 * (`{ stringValue, dataType }`), in any case of the name. Binary attributes are skipped.
 *
 * @example
 * const parent = propagation.extract(ROOT_CONTEXT, event.Records[0], sqsRecordGetter)
 */
export const sqsRecordGetter = projectedGetter(
  messageAttributesGetter,
  (record: SqsRecord) => record.messageAttributes,
)

/**
 * Reads trace context from an SNS record's `Sns.MessageAttributes` (`{ Type, Value }`).
 *
 * @example
 * const parent = propagation.extract(ROOT_CONTEXT, event.Records[0], snsRecordGetter)
 */
export const snsRecordGetter = projectedGetter(
  messageAttributesGetter,
  (record: SnsRecord) => record.Sns.MessageAttributes,
)
