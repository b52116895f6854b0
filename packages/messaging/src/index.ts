export type { MessageAttributeLike, MessageOperation } from '@otel-http/core'
export {
  type AmqpProperties,
  amqpPropertiesGetter,
  amqpPropertiesSetter,
  injectAmqpProperties,
} from './amqp-properties-carrier'
export type { MessagingOptions } from './deprecated-names'
export {
  type AttributesInjector,
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
export {
  type MessageAttributes,
  type StringMessageAttribute,
  snsAttributesGetter,
  snsAttributesSetter,
  sqsAttributesGetter,
  sqsAttributesSetter,
} from './message-attributes-carrier'
export {
  type MessageCarrier,
  type MessageSend,
  type MessageSpan,
  type MessagingTracing,
  type MessagingTracingOptions,
  messagingTracing,
} from './messaging-tracing'
export {
  injectNatsHeaders,
  type NatsHeadersLike,
  natsHeadersGetter,
  natsHeadersSetter,
} from './nats-headers-carrier'
export { traceBatch, traceProcess } from './trace-process'
export { type TraceSendOptions, traceSend } from './trace-send'
