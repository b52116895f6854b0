import type { TextMapSetter } from '@opentelemetry/api'
import { type HeaderRecord, validatingSetter } from '@otel-http/core'

type HeaderValue = string | readonly string[] | number | Uint8Array | undefined | null

/** The header forms undici accepts in dispatch options. */
export type UndiciHeaders =
  | HeaderRecord
  | ReadonlyArray<string | Uint8Array>
  | Iterable<readonly [string, HeaderValue]>
  | null
  | undefined

/** A flat `[name, value, name, value, …]` array, the form undici uses internally. */
export type FlatHeaders = string[]

const decoder = new TextDecoder()
const text = (value: string | Uint8Array | number): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : decoder.decode(value)

function pushValue(flat: string[], name: string, value: HeaderValue): void {
  if (value == null) return
  if (Array.isArray(value)) for (const v of value) flat.push(name, text(v))
  else flat.push(name, text(value as string | Uint8Array | number))
}

/** Copies any undici header form into a new flat array; the caller's object is not touched. */
export function toFlatHeaders(headers: UndiciHeaders): FlatHeaders {
  const flat: string[] = []
  if (headers == null) return flat
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) flat.push(text(headers[i]), text(headers[i + 1]))
    return flat
  }
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const [name, value] of headers as Iterable<readonly [string, HeaderValue]>)
      pushValue(flat, name, value)
    return flat
  }
  for (const [name, value] of Object.entries(headers as HeaderRecord)) pushValue(flat, name, value)
  return flat
}

function setFlat(flat: FlatHeaders, key: string, value: string): void {
  const wanted = key.toLowerCase()
  for (let i = flat.length - 2; i >= 0; i -= 2) {
    const name = flat[i]!
    // Only a name of the same length can be a case variant: the others are not lower-cased.
    if (name.length === wanted.length && name.toLowerCase() === wanted) flat.splice(i, 2)
  }
  flat.push(wanted, value)
}

/**
 * Removes every pair named `key` (any case), then appends one. A value undici would reject is
 * dropped (see `validatingSetter`).
 */
export const flatHeadersSetter: TextMapSetter<FlatHeaders> = validatingSetter({ set: setFlat })
