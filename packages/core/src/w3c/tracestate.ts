import type { TraceState } from '@opentelemetry/api'

/** W3C Trace Context: at most 32 list members. */
export const MAX_TRACESTATE_MEMBERS = 32
const MAX_KEY_LENGTH = 256
const MAX_VALUE_LENGTH = 256

// Character classes by char code, looked up once per character (no regex, no backtracking).
const KEY_FIRST = 1
const KEY_CHAR = 2
const CLASS = new Uint8Array(128)
for (let c = 0x61; c <= 0x7a; c++) CLASS[c] = KEY_FIRST | KEY_CHAR
for (let c = 0x30; c <= 0x39; c++) CLASS[c] = KEY_FIRST | KEY_CHAR
for (const c of '_-*/@') CLASS[c.charCodeAt(0)] = KEY_CHAR

/**
 * Key grammar of the current specification: `(lcalpha / DIGIT) 0*255(keychar)` where keychar is
 * `a-z 0-9 _ - * / @`. Level 1's separate `tenant@system` length rules are gone.
 */
export function isValidTraceStateKey(key: string, start = 0, end = key.length): boolean {
  const length = end - start
  if (length < 1 || length > MAX_KEY_LENGTH) return false
  const first = key.charCodeAt(start)
  if (first >= 128 || (CLASS[first]! & KEY_FIRST) === 0) return false
  for (let i = start + 1; i < end; i++) {
    const code = key.charCodeAt(i)
    if (code >= 128 || (CLASS[code]! & KEY_CHAR) === 0) return false
  }
  return true
}

/** `0*255(chr) nblk-chr`: printable ASCII without `,` and `=`, not ending in a space. */
export function isValidTraceStateValue(value: string, start = 0, end = value.length): boolean {
  const length = end - start
  if (length < 1 || length > MAX_VALUE_LENGTH || value.charCodeAt(end - 1) === 0x20) return false
  for (let i = start; i < end; i++) {
    const code = value.charCodeAt(i)
    if (code < 0x20 || code > 0x7e || code === 0x2c || code === 0x3d) return false
  }
  return true
}

const isOws = (code: number): boolean => code === 0x20 || code === 0x09

interface Members {
  keys: string[]
  values: string[]
  /** The header itself when it holds no optional whitespace or empty members: it can be sent as is. */
  serialized: string | undefined
}

/**
 * One pass over a (combined) `tracestate` value. Undefined when the header is invalid as a whole:
 * one invalid member or more than 32 members. A repeated key keeps its left-most member (the spec
 * lets a vendor discard a duplicate, not the header). Empty and whitespace-only members are
 * allowed and ignored.
 */
function scanTracestate(header: string): Members | undefined {
  const keys: string[] = []
  const values: string[] = []
  let clean = true
  const length = header.length
  let start = 0
  while (start <= length) {
    let end = header.indexOf(',', start)
    if (end === -1) end = length
    let from = start
    let to = end
    while (from < to && isOws(header.charCodeAt(from))) from++
    while (to > from && isOws(header.charCodeAt(to - 1))) to--
    if (from === to) {
      clean = false
    } else {
      if (from !== start || to !== end) clean = false
      const eq = header.indexOf('=', from)
      if (eq === -1 || eq >= to) return undefined
      if (!isValidTraceStateKey(header, from, eq) || !isValidTraceStateValue(header, eq + 1, to))
        return undefined
      const key = header.slice(from, eq)
      if (keys.includes(key)) {
        clean = false
      } else {
        if (keys.length === MAX_TRACESTATE_MEMBERS) return undefined
        keys.push(key)
        values.push(header.slice(eq + 1, to))
      }
    }
    start = end + 1
  }
  return { keys, values, serialized: clean ? header : undefined }
}

/**
 * An immutable `tracestate` list (keys in order, left-most first). One made from a received header
 * is validated on first use, so a request whose tracestate is never read or sent costs nothing;
 * an invalid header then behaves as an empty list (dropped entirely, never trimmed), and a
 * repeated key keeps its left-most member. The text it
 * was received as or last serialised to is kept, so an unchanged tracestate is never re-serialised.
 *
 * @example
 * const state: W3CTraceState | undefined = parseTracestate('vendor=abc')
 * state?.set('mine', 'x').serialize() // 'mine=x,vendor=abc'
 */
export class W3CTraceState implements TraceState {
  #raw: string | undefined
  #keys: readonly string[] = []
  #values: readonly string[] = []
  #serialized: string | undefined

  constructor(keys: readonly string[] = [], values: readonly string[] = [], serialized?: string) {
    this.#keys = keys
    this.#values = values
    this.#serialized = serialized
  }

  /** A state for a received header, validated lazily. */
  static fromHeader(header: string): W3CTraceState {
    const state = new W3CTraceState()
    state.#raw = header
    return state
  }

  #load(): void {
    const raw = this.#raw
    if (raw === undefined) return
    this.#raw = undefined
    const members = scanTracestate(raw)
    if (members) {
      this.#keys = members.keys
      this.#values = members.values
      this.#serialized = members.serialized
    } else {
      this.#serialized = ''
    }
  }

  get(key: string): string | undefined {
    this.#load()
    const index = this.#keys.indexOf(key)
    return index === -1 ? undefined : this.#values[index]
  }

  /**
   * A new state with `key` moved to the front (the spec's mutation rule). An invalid key or value
   * returns this state unchanged; past 32 members the right-most one is dropped.
   */
  set(key: string, value: string): W3CTraceState {
    if (!isValidTraceStateKey(key) || !isValidTraceStateValue(value)) return this
    this.#load()
    const keys = [key]
    const values = [value]
    for (let i = 0; i < this.#keys.length && keys.length < MAX_TRACESTATE_MEMBERS; i++) {
      if (this.#keys[i] === key) continue
      keys.push(this.#keys[i]!)
      values.push(this.#values[i]!)
    }
    return new W3CTraceState(keys, values)
  }

  unset(key: string): W3CTraceState {
    this.#load()
    const index = this.#keys.indexOf(key)
    if (index === -1) return this
    return new W3CTraceState(
      this.#keys.filter((_, i) => i !== index),
      this.#values.filter((_, i) => i !== index),
    )
  }

  serialize(): string {
    this.#load()
    if (this.#serialized === undefined) {
      let text = ''
      for (let i = 0; i < this.#keys.length; i++)
        text += `${i === 0 ? '' : ','}${this.#keys[i]}=${this.#values[i]}`
      this.#serialized = text
    }
    return this.#serialized
  }
}

/**
 * Parses a (combined) `tracestate` value and validates it as a whole: one invalid member or more
 * than 32 members invalidates the header, and undefined is returned so the caller drops it
 * entirely rather than passing on a trimmed list (the W3C harness expects both). A repeated key
 * keeps its left-most member: the spec lets a vendor discard a duplicate, and the harness expects
 * the header to be kept. Empty and whitespace-only members are allowed and ignored; a header with
 * no member at all gives undefined too (nothing to send).
 *
 * @example
 * const state = parseTracestate('vendor=abc,other=1')
 * state?.get('vendor') // 'abc'; undefined for an invalid header
 */
export function parseTracestate(header: string): W3CTraceState | undefined {
  const members = scanTracestate(header)
  if (!members || members.keys.length === 0) return undefined
  return new W3CTraceState(members.keys, members.values, members.serialized)
}
