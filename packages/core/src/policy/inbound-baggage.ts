import type { Baggage, BaggageEntry } from '@opentelemetry/api'

/**
 * Inbound baggage keys to keep: an allowlist or a predicate.
 *
 * @example
 * const keep: AcceptBaggage = ['tenant', 'region'] // or (key, entry) => key.startsWith('app.')
 */
export type AcceptBaggage = ReadonlyArray<string> | ((key: string, entry: BaggageEntry) => boolean)

/**
 * Compiles the inbound baggage policy once: the returned function maps an extracted Baggage to
 * the one the handler sees, or undefined when nothing is kept. `accept` unset keeps everything
 * from a trusted caller and nothing from an untrusted one.
 */
export function compileInboundBaggage(
  accept: AcceptBaggage | undefined,
): (baggage: Baggage, trusted: boolean) => Baggage | undefined {
  if (accept === undefined) return (baggage, trusted) => (trusted ? baggage : undefined)
  const allowed =
    typeof accept === 'function'
      ? accept
      : (
          (set) => (key: string) =>
            set.has(key)
        )(new Set(accept))
  return (baggage) => {
    let result = baggage
    let kept = 0
    for (const [key, entry] of baggage.getAllEntries()) {
      if (allowed(key, entry)) kept++
      else result = result.removeEntry(key)
    }
    return kept === 0 ? undefined : result
  }
}
