import type { TextMapGetter } from '@opentelemetry/api'

/**
 * A getter for an outer carrier that reads through `getter` on the part `partOf` picks out, e.g.
 * an SQS record's `messageAttributes`: one reader serves every event shape that embeds it.
 */
export function projectedGetter<Outer, Inner>(
  getter: TextMapGetter<Inner>,
  partOf: (carrier: Outer) => Inner,
): TextMapGetter<Outer> {
  return {
    keys: (carrier) => getter.keys(partOf(carrier)),
    get: (carrier, key) => getter.get(partOf(carrier), key),
  }
}
