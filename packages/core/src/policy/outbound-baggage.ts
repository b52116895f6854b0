import { type Baggage, type BaggageEntry, diag } from '@opentelemetry/api'
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

/** A list or predicate is shorthand for `{ allow }`. */
export type OutboundBaggage =
  | OutboundBaggageOptions
  | ReadonlyArray<string>
  | ((key: string, entry: BaggageEntry) => boolean)

const warned = new Set<string>()
const MAX_WARNED = 1000

function warnOnce(key: string): void {
  if (warned.has(key) || warned.size >= MAX_WARNED) return
  warned.add(key)
  diag.warn(`otel-http: baggage key "${key}" looks like a secret and was not sent (see the "baggage" option)`)
}

/**
 * Compiles the outbound baggage policy once. The returned function maps a Baggage to the one
 * to send; it remembers its answer per Baggage object (Baggage is immutable), so an unchanged
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
  if (!dropSecrets && allow === undefined) return (baggage) => baggage

  const cache = new WeakMap<Baggage, Baggage>()
  return (baggage) => {
    const cached = cache.get(baggage)
    if (cached) return cached
    let result = baggage
    for (const [key, entry] of baggage.getAllEntries()) {
      let keep: boolean
      if (dropSecrets && isSecretLookingKey(key)) {
        warnOnce(key)
        keep = false
      } else {
        keep = allowed(key, entry)
      }
      if (!keep) result = result.removeEntry(key)
    }
    cache.set(baggage, result)
    return result
  }
}
