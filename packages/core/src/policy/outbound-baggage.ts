import {
  type Baggage,
  type BaggageEntry,
  type BaggageEntryMetadata,
  baggageEntryMetadataFromString,
  diag,
} from '@opentelemetry/api'
import { grammaticalProperties } from '../w3c/baggage-properties'
import { isSecretLookingKey } from './secret-keys'

/** Which baggage keys an adapter may send. */
export interface OutboundBaggageOptions {
  /** Only these keys (or those the predicate accepts) are sent. Default: every key. */
  allow?: ReadonlyArray<string> | ((key: string, entry: BaggageEntry) => boolean)
  /**
   * Drop keys that look like credentials (authorization, password, token, secret, api key,
   * cookie, session…). Default `true`; `false` turns the guard off explicitly.
   */
  dropSecretKeys?: boolean
}

/**
 * A list or predicate is shorthand for `{ allow }`.
 *
 * @example
 * const baggage: OutboundBaggage = { allow: ['user_id', 'tenant'] } // or a list, or (key, entry) => boolean
 */
export type OutboundBaggage =
  | OutboundBaggageOptions
  | ReadonlyArray<string>
  | ((key: string, entry: BaggageEntry) => boolean)

const warned = new Set<string>()
const MAX_WARNED = 1000

function warnOnce(key: string, why: 'secret' | 'metadata'): void {
  const id = `${why}:${key}`
  if (warned.has(id) || warned.size >= MAX_WARNED) return
  warned.add(id)
  diag.warn(
    why === 'secret'
      ? `otel-http: baggage key "${key}" looks like a secret and was not sent (see the "baggage" option)`
      : `otel-http: baggage key "${key}" has metadata that breaks the W3C baggage grammar; it was sent without it`,
  )
}

/**
 * The metadata to send with `key`: the properties that follow the W3C grammar, whatever
 * propagator serialises them (@opentelemetry/core's sends metadata as it is), so a property
 * received from a caller or set by code never goes out malformed.
 */
function sendableMetadata(key: string, metadata: BaggageEntryMetadata | undefined) {
  if (metadata === undefined) return undefined
  let text: unknown
  try {
    text = metadata.toString()
  } catch {
    text = undefined
  }
  if (typeof text !== 'string') {
    warnOnce(key, 'metadata')
    return undefined
  }
  // Empty metadata is no property at all; @opentelemetry/core would still send a bare ";".
  if (text.trim() === '') return undefined
  const properties = grammaticalProperties(text)
  if (!properties.dropped) return metadata
  warnOnce(key, 'metadata')
  return properties.text === '' ? undefined : baggageEntryMetadataFromString(properties.text)
}

/**
 * Compiles the outbound baggage policy once. The returned function maps a Baggage to the one
 * to send (the keys it allows, each with only the metadata properties that follow the W3C
 * grammar); it remembers its answer per Baggage object (Baggage is immutable), so an unchanged
 * Baggage is filtered once, not on every request.
 */
export function compileOutboundBaggage(option: OutboundBaggage | undefined): (baggage: Baggage) => Baggage {
  const options: OutboundBaggageOptions =
    typeof option === 'function' || Array.isArray(option)
      ? { allow: option as OutboundBaggageOptions['allow'] }
      : ((option as OutboundBaggageOptions | undefined) ?? {})
  const dropSecrets = options.dropSecretKeys !== false
  const allow = options.allow
  const allowed =
    allow === undefined
      ? () => true
      : typeof allow === 'function'
        ? allow
        : (
            (set) => (key: string) =>
              set.has(key)
          )(new Set(allow))
  const cache = new WeakMap<Baggage, Baggage>()
  return (baggage) => {
    const cached = cache.get(baggage)
    if (cached) return cached
    let result = baggage
    for (const [key, entry] of baggage.getAllEntries()) {
      if (dropSecrets && isSecretLookingKey(key)) {
        warnOnce(key, 'secret')
        result = result.removeEntry(key)
      } else if (!allowed(key, entry)) {
        result = result.removeEntry(key)
      } else {
        const metadata = sendableMetadata(key, entry.metadata)
        if (metadata !== entry.metadata)
          result = result.setEntry(key, metadata ? { value: entry.value, metadata } : { value: entry.value })
      }
    }
    cache.set(baggage, result)
    return result
  }
}
