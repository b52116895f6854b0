import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api'
import { validatingSetter } from '@otel-http/core'
import { headerText } from './header-text'
import type { Injector } from './inject-message-attributes'

/**
 * amqplib's publish options (`Options.Publish`) and a consumed message's `properties`: trace
 * context travels in their `headers` table. Structural, so the package never imports amqplib.
 */
export interface AmqpProperties {
  headers?: Record<string, unknown> | undefined
}

/**
 * Reads W3C fields from `msg.properties.headers`; a header another client sent as bytes is
 * decoded as UTF-8.
 *
 * @example
 * const parent = propagation.extract(ROOT_CONTEXT, msg.properties, amqpPropertiesGetter)
 */
export const amqpPropertiesGetter: TextMapGetter<AmqpProperties | undefined> = {
  keys: (properties) => Object.keys(properties?.headers ?? {}),
  get: (properties, key) => headerText(properties?.headers?.[key]),
}

/**
 * Writes a W3C field into `properties.headers`, creating the table when absent. A value no HTTP
 * header could carry (CR, LF, controls, above U+00FF, not a string) is dropped, as by every
 * otel-http setter.
 *
 * @example
 * propagation.inject(context.active(), options, amqpPropertiesSetter)
 */
export const amqpPropertiesSetter: TextMapSetter<AmqpProperties> = validatingSetter({
  set(properties, key, value) {
    properties.headers ??= {}
    properties.headers[key] = value
  },
})

/**
 * A copy of amqplib publish options (with a copied `headers` table) carrying the send's trace
 * context; the caller's options are not modified.
 *
 * @example
 * await traceSend({ system: 'rabbitmq', destination: 'jobs' }, (send) =>
 *   channel.sendToQueue('jobs', body, injectAmqpProperties(send, { persistent: true })),
 * )
 */
export function injectAmqpProperties<P extends AmqpProperties>(
  send: Injector,
  properties?: P,
): P & { headers: Record<string, unknown> } {
  const copy = { ...properties, headers: { ...properties?.headers } } as P & {
    headers: Record<string, unknown>
  }
  send.inject<AmqpProperties>(copy, amqpPropertiesSetter)
  return copy
}
