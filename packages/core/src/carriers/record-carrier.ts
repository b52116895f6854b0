import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api'
import { checkJoinedValue, combineHeaderValues } from './carrier-values'
import { validatingSetter } from './header-value'

/**
 * Node's `IncomingHttpHeaders` / `OutgoingHttpHeaders` and plain records with keys in any
 * case; values may be a string, a string array or a number.
 *
 * @example
 * const headers: HeaderRecord = { ...options.headers }
 * propagation.inject(context.active(), headers, recordSetter)
 */
export type HeaderRecord = Record<string, string | readonly string[] | number | undefined>

// Node 20's V8 (11.3) takes a slow path when a property is added to an object made by
// `{ ...record }`: 1.5–1.9 µs a copy with one to three keys, against 34–99 ns for a loop. Node 22
// and 24 spread fastest (19–52 ns; the loop 27–161 ns). bench/record-copy.ts measures both.
const v8Version = (globalThis as { process?: { versions?: { v8?: string } } }).process?.versions?.v8
const spreadThenAddIsSlow = v8Version !== undefined && Number.parseInt(v8Version, 10) < 12

// What a spread copies: own enumerable keys, symbols included (dispatch options and a
// RequestInit may carry another library's symbol-keyed field, which must pass on).
function loopCopy(record: object): Record<PropertyKey, unknown> {
  const source = record as Record<PropertyKey, unknown>
  const copy: Record<PropertyKey, unknown> = {}
  const keys = Object.keys(source)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    copy[key] = source[key]
  }
  const symbols = Object.getOwnPropertySymbols(source)
  for (let i = 0; i < symbols.length; i++) {
    const symbol = symbols[i] as symbol
    if (Object.prototype.propertyIsEnumerable.call(source, symbol)) copy[symbol] = source[symbol]
  }
  return copy
}

/**
 * A copy of a record's own enumerable properties, to add headers (or init fields) to without
 * touching the caller's object, made the way the running engine adds to fastest (see
 * bench/record-copy.ts). None gives an empty record.
 *
 * @example
 * const headers = copyHeaderRecord(callerHeaders)
 * propagation.inject(context.active(), headers, recordSetter)
 */
export function copyHeaderRecord<T extends object>(record: T | undefined | null): T {
  if (record == null) return {} as T
  return (spreadThenAddIsSlow ? loopCopy(record) : { ...record }) as T
}

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

/**
 * Reads W3C headers from a record, keys in any case; a repeated `traceparent` reads as absent,
 * repeated `tracestate` and `baggage` values are joined in order.
 *
 * @example
 * const parent = propagation.extract(ROOT_CONTEXT, event.headers ?? {}, recordGetter)
 */
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
 *
 * @example
 * const headers: HeaderRecord = { accept: 'application/json' }
 * propagation.inject(context.active(), headers, recordSetter)
 */
export const recordSetter: TextMapSetter<HeaderRecord> = validatingSetter({
  set(record, key, value) {
    const wanted = key.toLowerCase()
    for (const name in record) {
      // Only a name of the same length can be a case variant: the others are not lower-cased.
      if (name !== wanted && name.length === wanted.length && name.toLowerCase() === wanted)
        delete record[name]
    }
    record[wanted] = value
  },
})

/**
 * Writes into a record the caller made for this injection alone, empty before it: no case variant
 * of a name can be there, so none is looked for (`recordSetter` scans every name it holds,
 * lower-cased, per header). A value the platform would reject is dropped (see `validatingSetter`).
 *
 * @example
 * const injected: HeaderRecord = {}
 * propagation.inject(context.active(), injected, freshRecordSetter)
 */
export const freshRecordSetter: TextMapSetter<HeaderRecord> = validatingSetter({
  set(record, key, value) {
    record[key] = value
  },
})
