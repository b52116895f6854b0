import { describe, expect, it } from 'vitest'
import { parseTracestate, W3CTraceState } from '../src/w3c/tracestate'

const lcalpha = 'abcdefghijklmnopqrstuvwxyz'
const ALL_KEY_CHARS = `${lcalpha}0123456789_-*/@`
// Every printable ASCII character except "," and "=".
const ALL_VALUE_CHARS = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i))
  .filter((c) => c !== ',' && c !== '=')
  .join('')
const members = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=${i}`).join(',')

describe('parseTracestate', () => {
  it.each([
    ['one member', 'congo=t61rcWkgMzE', 'congo=t61rcWkgMzE'],
    [
      'two members, order kept',
      'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
      'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
    ],
    ['OWS around members', 'foo=1 \t , \t bar=2, \t baz=3', 'foo=1,bar=2,baz=3'],
    ['leading OWS', ' \tfoo=1', 'foo=1'],
    ['trailing OWS', 'foo=1 \t', 'foo=1'],
    ['empty members', 'foo=1,,bar=2,', 'foo=1,bar=2'],
    ['whitespace-only members', 'foo=1, ,\t,bar=2', 'foo=1,bar=2'],
    ['leading space of a value is kept', 'foo= 1', 'foo= 1'],
    ['key starting with a digit', '1foo=1', '1foo=1'],
    ['every key character', `${ALL_KEY_CHARS}=1`, `${ALL_KEY_CHARS}=1`],
    ['every value character', `foo=${ALL_VALUE_CHARS}`, `foo=${ALL_VALUE_CHARS}`],
    ['256-character key', `${'z'.repeat(256)}=1`, `${'z'.repeat(256)}=1`],
    ['256-character value', `foo=${'v'.repeat(256)}`, `foo=${'v'.repeat(256)}`],
    [
      'old tenant@system key',
      `${'t'.repeat(241)}@${'v'.repeat(14)}=1`,
      `${'t'.repeat(241)}@${'v'.repeat(14)}=1`,
    ],
    // Level 1 limited the tenant to 241 and the system to 14 characters; the current grammar does not.
    ['key with a long tenant', `${'t'.repeat(242)}@v=1`, `${'t'.repeat(242)}@v=1`],
    ['key with a long system', `t@${'v'.repeat(15)}=1`, `t@${'v'.repeat(15)}=1`],
    ['key ending in @', 'foo@=1', 'foo@=1'],
    ['key with two @', 'foo@bar@baz=1', 'foo@bar@baz=1'],
    ['32 members', members(32), members(32)],
    // The spec lets a vendor discard a repeated key, not the header: the left-most one is kept.
    ['repeated key, same value', 'foo=1,foo=1', 'foo=1'],
    ['repeated key, other value', 'foo=1,bar=2,foo=2', 'foo=1,bar=2'],
    ['repeated key across combined headers', 'foo=1,foo=2,bar=3', 'foo=1,bar=3'],
    ['32 members and a repeat', `${members(32)},k0=x`, members(32)],
  ])('accepts %s', (_name, header, serialized) => {
    expect(parseTracestate(header)?.serialize()).toBe(serialized)
  })

  it.each([
    ['empty header', ''],
    ['only separators and OWS', ' , \t,'],
    ['33 members', members(33)],
    ['33 members with empty ones between', `${members(32)},,k32=32`],
    ['257-character key', `foo=1,${'z'.repeat(257)}=1`],
    ['257-character value', `foo=1,bar=${'v'.repeat(257)}`],
    ['upper-case key', 'foo=1,FOO=1'],
    ['key with a dot', 'foo.bar=1,bar=2'],
    ['space before "="', 'foo =1'],
    ['key starting with @', '@foo=1,bar=2'],
    ['key starting with _', '_foo=1'],
    ['a repeated key and an invalid member', 'foo=1,foo=2,BAR=3'],
    ['"=" in the value', 'foo=bar=baz'],
    ['empty value', 'foo=,bar=3'],
    ['empty key', '=1,bar=2'],
    ['no "="', 'foo,bar=2'],
    ['tab inside a value', 'foo=a\tb'],
    ['non-ASCII value', 'foo=é'],
    ['non-ASCII key', 'fé=1'],
  ])('drops the whole header: %s', (_name, header) => {
    expect(parseTracestate(header)).toBeUndefined()
  })

  it('keeps the header text when it has nothing to normalise', () => {
    const header = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'
    expect(parseTracestate(header)?.serialize()).toBe(header)
  })
})

describe('W3CTraceState', () => {
  const state = parseTracestate('rojo=1,congo=2')!

  it('reads values by key', () => {
    expect(state.get('congo')).toBe('2')
    expect(state.get('none')).toBeUndefined()
  })
  it('moves a set key to the front and leaves the original untouched', () => {
    expect(state.set('congo', '3').serialize()).toBe('congo=3,rojo=1')
    expect(state.set('new', 'x').serialize()).toBe('new=x,rojo=1,congo=2')
    expect(state.serialize()).toBe('rojo=1,congo=2')
  })
  it('ignores an invalid key or value', () => {
    expect(state.set('BAD', 'x')).toBe(state)
    expect(state.set('ok', 'a,b')).toBe(state)
  })
  it('drops the right-most member past 32', () => {
    const full = parseTracestate(members(32))!
    const added = full.set('new', 'x')
    expect(added.serialize()).toBe(`new=x,${members(31)}`)
  })
  it('unsets a key', () => {
    expect(state.unset('rojo').serialize()).toBe('congo=2')
    expect(state.unset('none')).toBe(state)
    expect(new W3CTraceState().serialize()).toBe('')
  })
})

describe('W3CTraceState.fromHeader (validated on first use)', () => {
  it('reads a valid header like parseTracestate', () => {
    const state = W3CTraceState.fromHeader(' rojo=1 ,, congo=2')
    expect(state.get('congo')).toBe('2')
    expect(state.serialize()).toBe('rojo=1,congo=2')
  })
  it('behaves as an empty list when the header is invalid as a whole', () => {
    const state = W3CTraceState.fromHeader('rojo=1,ROJO=2')
    expect(state.get('rojo')).toBeUndefined()
    expect(state.serialize()).toBe('')
    expect(W3CTraceState.fromHeader('foo=1,FOO=2').set('mine', 'x').serialize()).toBe('mine=x')
  })
  it('keeps the left-most of a repeated key', () => {
    const state = W3CTraceState.fromHeader('foo=1,foo=2')
    expect(state.get('foo')).toBe('1')
    expect(state.set('mine', 'x').serialize()).toBe('mine=x,foo=1')
  })
  it('keeps a header in normal form as the same string', () => {
    const header = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'
    expect(W3CTraceState.fromHeader(header).serialize()).toBe(header)
  })
})
