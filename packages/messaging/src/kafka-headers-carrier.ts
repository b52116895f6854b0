import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api'
import { combineHeaderValues, validatingSetter } from '@otel-http/core'
import type { Injector } from './inject-message-attributes'

/** kafkajs's `IHeaders`: values are strings or Buffers, possibly repeated. Structural. */
export type KafkaHeaders = Record<
  string,
  string | Uint8Array | ReadonlyArray<string | Uint8Array> | undefined
>

const decoder = new TextDecoder()
const text = (value: string | Uint8Array): string =>
  typeof value === 'string' ? value : decoder.decode(value)

/**
 * Reads W3C fields from kafkajs message headers, decoding Buffers as UTF-8.
 *
 * @example
 * const parent = propagation.extract(ROOT_CONTEXT, message.headers, kafkaHeadersGetter)
 */
export const kafkaHeadersGetter: TextMapGetter<KafkaHeaders | undefined> = {
  keys: (headers) => Object.keys(headers ?? {}),
  get(headers, key) {
    const value = headers?.[key]
    if (value === undefined) return undefined
    if (Array.isArray(value)) return combineHeaderValues(key, value.map(text))
    return text(value as string | Uint8Array)
  },
}

/**
 * Writes a W3C field as a string header, replacing an earlier value. A value no HTTP header
 * could carry (CR, LF, controls, above U+00FF, not a string) is dropped, as by every otel-http
 * setter: a consumer may well pass it on over HTTP.
 *
 * @example
 * propagation.inject(context.active(), headers, kafkaHeadersSetter)
 */
export const kafkaHeadersSetter: TextMapSetter<KafkaHeaders> = validatingSetter({
  set(headers, key, value) {
    headers[key] = value
  },
})

/**
 * A copy of a kafkajs message's `headers` with the send's trace context added; the caller's
 * headers are not modified.
 *
 * @example
 * await traceSend({ system: 'kafka', destination: 'orders' }, (send) =>
 *   producer.send({ topic: 'orders', messages: [{ value, headers: injectKafkaHeaders(send, headers) }] }),
 * )
 */
export function injectKafkaHeaders<H extends KafkaHeaders>(
  send: Injector,
  headers?: H,
): H & Record<string, string> {
  const copy = { ...headers } as H & Record<string, string>
  send.inject(copy as KafkaHeaders, kafkaHeadersSetter)
  return copy
}
