import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api'
import { combineHeaderValues, validatingSetter } from '@otel-http/core'
import type { Injector } from './inject-message-attributes'

/** The part of nats.js's `MsgHdrs` the carrier uses. Structural, so the package never imports nats. */
export interface NatsHeadersLike {
  keys(): string[]
  values(key: string): string[]
  set(key: string, value: string): void
  append(key: string, value: string): void
}

/**
 * Reads W3C fields from a NATS message's `headers` (absent when the publisher sent none).
 *
 * @example
 * const parent = propagation.extract(ROOT_CONTEXT, msg.headers, natsHeadersGetter)
 */
export const natsHeadersGetter: TextMapGetter<NatsHeadersLike | undefined> = {
  keys: (headers) => headers?.keys() ?? [],
  get: (headers, key) => (headers ? combineHeaderValues(key, headers.values(key)) : undefined),
}

/**
 * Writes a W3C field, replacing earlier values. A value no HTTP header could carry (CR, LF,
 * controls, above U+00FF, not a string) is dropped, as by every otel-http setter.
 *
 * @example
 * propagation.inject(context.active(), headers, natsHeadersSetter)
 */
export const natsHeadersSetter: TextMapSetter<NatsHeadersLike> = validatingSetter({
  set: (headers, key, value) => headers.set(key, value),
})

/**
 * New NATS headers, made with `createHeaders` (nats.js's `headers` function), holding a copy of
 * `existing` and the send's trace context; `existing` is not modified.
 *
 * @example
 * import { headers } from 'nats'
 * await traceSend({ system: 'nats', destination: 'jobs' }, (send) =>
 *   nc.publish('jobs', data, { headers: injectNatsHeaders(send, headers) }),
 * )
 */
export function injectNatsHeaders<H extends NatsHeadersLike>(
  send: Injector,
  createHeaders: () => H,
  existing?: NatsHeadersLike,
): H {
  const result = createHeaders()
  if (existing)
    for (const key of existing.keys()) for (const value of existing.values(key)) result.append(key, value)
  send.inject<NatsHeadersLike>(result, natsHeadersSetter)
  return result
}
