import { validateHeaderValue } from 'node:http'
import {
  baggageEntryMetadataFromString,
  diag,
  propagation,
  ROOT_CONTEXT,
  type TextMapSetter,
} from '@opentelemetry/api'
import { W3CBaggagePropagator } from '@opentelemetry/core'
import {
  fetchHeadersSetter,
  type HeaderRecord,
  recordSetter,
  validatingSetter,
  w3cBaggagePropagator,
} from '@otel-http/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { isValidHeaderValue } from '../src/carriers/header-value'

afterEach(() => vi.restoreAllMocks())

// Every value below is what Node's http (the strictest platform) would throw on, or accept.
const REJECTED = [
  'a\nb',
  'a\rb',
  'a\r\nInjected: 1',
  'a\u0000b',
  'a\u0001b',
  'a\u007fb',
  '\u{1F600}',
  'é\u0100',
]
const ACCEPTED = ['', 'k=v;p=1', 'tab\there', 'Jürgen é', '\u00ff', '~!#$%&*']

/** Whether Node's http would let `value` into a request header. */
function nodeAccepts(value: string): boolean {
  try {
    validateHeaderValue('x-test', value)
    return true
  } catch {
    return false
  }
}

describe('isValidHeaderValue', () => {
  it('agrees with what Node and Fetch Headers accept', () => {
    for (const value of REJECTED) {
      expect(isValidHeaderValue(value), JSON.stringify(value)).toBe(false)
      expect(nodeAccepts(value), JSON.stringify(value)).toBe(false)
    }
    for (const value of ACCEPTED) {
      expect(isValidHeaderValue(value), JSON.stringify(value)).toBe(true)
      expect(nodeAccepts(value), JSON.stringify(value)).toBe(true)
      expect(() => new Headers({ 'x-test': value })).not.toThrow()
    }
  })

  it('rejects values that are not strings', () => {
    for (const value of [42, undefined, null, ['a'], { toString: () => 'a' }])
      expect(isValidHeaderValue(value)).toBe(false)
  })
})

describe('validatingSetter', () => {
  it('drops an invalid value or name, keeps the rest, and warns once per header name', () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {})
    const record: Record<string, string> = {}
    const setter = validatingSetter<Record<string, string>>({
      set: (r, k, v) => {
        r[k] = v
      },
    })
    setter.set(record, 'x-bad', 'a\nb')
    setter.set(record, 'x-bad', '\u{1F600}')
    setter.set(record, 'x-num', 42 as unknown as string)
    setter.set(record, 'bad name', 'v')
    const hostile = {
      toString() {
        throw new Error('no')
      },
    }
    setter.set(record, hostile as unknown as string, 'v')
    setter.set(record, 'x-good', 'v')
    expect(record).toEqual({ 'x-good': 'v' })
    const warnings = warn.mock.calls.map(([m]) => String(m))
    expect(warnings.filter((m) => m.includes('"x-bad"'))).toHaveLength(1)
    expect(warnings.filter((m) => m.includes('"x-num"'))).toHaveLength(1)
    expect(warnings.filter((m) => m.includes('"bad name"'))).toHaveLength(1)
    expect(warnings.filter((m) => m.includes('"(object)"'))).toHaveLength(1)
    expect(warnings).toHaveLength(4)
    // The value itself is never logged: it may be anything a caller put in baggage.
    expect(warnings.join()).not.toContain('a\nb')
  })

  it('wraps once: the same setter gets the same wrapper, a wrapper is returned as is', () => {
    const setter: TextMapSetter<HeaderRecord> = { set: () => {} }
    const wrapped = validatingSetter(setter)
    expect(validatingSetter(setter)).toBe(wrapped)
    expect(validatingSetter(wrapped)).toBe(wrapped)
    expect(validatingSetter(recordSetter)).toBe(recordSetter)
    expect(validatingSetter(fetchHeadersSetter)).toBe(fetchHeadersSetter)
    // A propagator handed no setter at all fails in the caller's guard, not here.
    expect(validatingSetter(undefined as unknown as TextMapSetter)).toBeUndefined()
  })
})

describe('our setters under a propagator that writes what the platform rejects', () => {
  const context = propagation.setBaggage(
    ROOT_CONTEXT,
    propagation.createBaggage({ k: { value: 'v', metadata: baggageEntryMetadataFromString('a\nb') } }),
  )

  it("drop the SDK W3CBaggagePropagator's header instead of letting Headers throw", () => {
    vi.spyOn(diag, 'warn').mockImplementation(() => {})
    const headers = new Headers({ 'x-caller': '1' })
    expect(() => new W3CBaggagePropagator().inject(context, headers, fetchHeadersSetter)).not.toThrow()
    expect([...headers.entries()]).toEqual([['x-caller', '1']])
    const record: HeaderRecord = {}
    new W3CBaggagePropagator().inject(context, record, recordSetter)
    expect(record).toEqual({})
  })

  it('while ours sends the member without the metadata', () => {
    const record: HeaderRecord = {}
    w3cBaggagePropagator().inject(context, record, recordSetter)
    expect(record).toEqual({ baggage: 'k=v' })
  })
})
