import type { OutboundHandle, RequestHandle } from '@otel-http/core'

export type { MessageOperation, MessagingOptions } from '@otel-http/core'
/** A traced send: the handle `traceSend` passes to its callback; `inject` writes its context into a message. */
export type MessageSend = OutboundHandle
/** A traced receive or process operation: the handle `traceProcess` and `traceBatch` pass to the handler. */
export type MessageSpan = RequestHandle
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
export {
  type MessageAttributeLike,
  type MessageAttributes,
  type StringMessageAttribute,
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
