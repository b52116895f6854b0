import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api'
import { combineHeaderValues, copyHeaderRecord, validatingSetter } from '@otel-http/core'
import { headerText } from './header-text'
import type { Injector } from './inject-message-attributes'

/** kafkajs's `IHeaders`: values are strings or Buffers, possibly repeated. Structural. */
export type KafkaHeaders = Record<
  string,
  string | Uint8Array | ReadonlyArray<string | Uint8Array> | undefined
>

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
    if (!Array.isArray(value)) return headerText(value)
    const texts = value.map(headerText)
    // A repeat that is neither text nor bytes makes the header unreadable, not shorter.
    return texts.includes(undefined) ? undefined : combineHeaderValues(key, texts as string[])
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
  const copy = copyHeaderRecord(headers) as H & Record<string, string>
  send.inject(copy as KafkaHeaders, kafkaHeadersSetter)
  return copy
}
