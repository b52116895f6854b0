export type { MessageOperation, MessageSend, MessageSpan, MessagingOptions } from '@otel-http/core'
export {
  type AmqpProperties,
  amqpPropertiesGetter,
  amqpPropertiesSetter,
  injectAmqpProperties,
} from './amqp-properties-carrier'
export {
  type InjectAttributesOptions,
  type Injector,
  injectSnsAttributes,
  injectSqsAttributes,
} from './inject-message-attributes'
export {
  injectKafkaHeaders,
  type KafkaHeaders,
  kafkaHeadersGetter,
  kafkaHeadersSetter,
} from './kafka-headers-carrier'
export type { MessageAttributeLike, MessageAttributes, StringMessageAttribute } from '@otel-http/core'
export {
  snsAttributesGetter,
  snsAttributesSetter,
  sqsAttributesGetter,
  sqsAttributesSetter,
} from './message-attributes-carrier'
export {
  injectNatsHeaders,
  type NatsHeadersLike,
  natsHeadersGetter,
  natsHeadersSetter,
} from './nats-headers-carrier'
export { type MessageCarrier, traceBatch, traceProcess } from './trace-process'
export { type TraceSendOptions, traceSend } from './trace-send'
