import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api'
import { checkJoinedValue, combineHeaderValues } from './carrier-values'
import { validatingSetter } from './header-value'

/**
 * Node's `IncomingHttpHeaders` / `OutgoingHttpHeaders` and plain records with keys in any
 * case; values may be a string, a string array or a number.
 */
export type HeaderRecord = Record<string, string | readonly string[] | number | undefined>

function valuesOf(record: HeaderRecord, key: string): string[] {
  const wanted = key.toLowerCase()
  const values: string[] = []
  for (const name in record) {
    if (name.toLowerCase() !== wanted) continue
    const value = record[name]
    if (value === undefined) continue
    if (Array.isArray(value)) values.push(...value)
    else values.push(String(value))
  }
  return values
}

export const recordGetter: TextMapGetter<HeaderRecord> = {
  keys: (record) => Object.keys(record).map((k) => k.toLowerCase()),
  get(record, key) {
    const values = valuesOf(record, key)
    return values.length === 1 ? checkJoinedValue(key, values[0]) : combineHeaderValues(key, values)
  },
}

/**
 * Replaces every case variant of `key`, so the carrier holds exactly one value for it. A value
 * the platform would reject is dropped (see `validatingSetter`).
 */
export const recordSetter: TextMapSetter<HeaderRecord> = validatingSetter({
  set(record, key, value) {
    const wanted = key.toLowerCase()
    for (const name in record) {
      if (name !== wanted && name.toLowerCase() === wanted) delete record[name]
    }
    record[wanted] = value
  },
})
