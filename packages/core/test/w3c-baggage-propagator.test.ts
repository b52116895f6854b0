import {
  type Baggage,
  baggageEntryMetadataFromString,
  type Context,
  propagation,
  ROOT_CONTEXT,
} from '@opentelemetry/api'
import { suppressTracing, W3CBaggagePropagator } from '@opentelemetry/core'
import { type HeaderRecord, recordGetter, recordSetter, w3cBaggagePropagator } from '@otel-http/core'
import { describe, expect, it, vi } from 'vitest'

const propagator = w3cBaggagePropagator()
const extract = (headers: HeaderRecord) => propagator.extract(ROOT_CONTEXT, headers, recordGetter)
const entries = (ctx: Context) =>
  Object.fromEntries(
    (propagation.getBaggage(ctx)?.getAllEntries() ?? []).map(([k, e]) => [
      k,
      e.metadata ? [e.value, e.metadata.toString()] : e.value,
    ]),
  )
function inject(baggage: Baggage): HeaderRecord {
  const out: HeaderRecord = {}
  propagator.inject(propagation.setBaggage(ROOT_CONTEXT, baggage), out, recordSetter)
  return out
}
const many = (n: number, value = 'v') => Array.from({ length: n }, (_, i) => `k${i}=${value}`).join(',')

describe('w3cBaggagePropagator extract', () => {
  it.each<[string, string | string[], Record<string, unknown>]>([
    ['two members', 'a=1,b=2', { a: '1', b: '2' }],
    ['OWS and properties', ' a = 1 ; prop=x , b=%20two', { a: ['1', 'prop=x'], b: ' two' }],
    ['percent-encoded key and value', 'user%2Did=J%C3%BCrgen', { 'user-id': 'Jürgen' }],
    ['repeated headers combined', ['a=1', 'b=2'], { a: '1', b: '2' }],
    ['member without "=" skipped', 'a,b=2', { b: '2' }],
    ['empty key skipped', '=1,b=2', { b: '2' }],
    ['key that is not a token skipped', 'a b=1,c"d=2,b=2', { b: '2' }],
    ['bad percent-encoding skipped', 'a=%E0%A4%A,b=2', { a: undefined, b: '2' }],
    ['only garbage', ',,;;==', {}],
    ['properties that break the grammar left out', 'k=v;\xe9 "x"\\y', { k: 'v' }],
    ['each property judged on its own', 'k=v;p=1;bad prop;q;r="x";s=%22', { k: ['v', 'p=1;q;s=%22'] }],
    ['OWS around properties and "=" removed', 'k=v ; p = 1 ;\tq ', { k: ['v', 'p=1;q'] }],
  ])('%s', (_name, header, expected) => {
    const got = entries(extract({ baggage: header }))
    expect(got).toEqual(Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== undefined)))
  })

  it('keeps 180 members and drops the rest whole', () => {
    const got = entries(extract({ baggage: many(200) }))
    expect(Object.keys(got)).toHaveLength(180)
    expect(got.k179).toBe('v')
    expect(got.k180).toBeUndefined()
  })

  it('keeps whole members within 8192 bytes', () => {
    // 40 members of 1 + 3 + 1 + 200 bytes (k00=…) ≈ 8200 bytes with commas: the 40th does not fit.
    const header = Array.from(
      { length: 40 },
      (_, i) => `k${String(i).padStart(2, '0')}=${'x'.repeat(200)}`,
    ).join(',')
    const got = entries(extract({ baggage: header }))
    expect(Object.keys(got)).toHaveLength(39)
    expect(got.k38).toBe('x'.repeat(200))
    expect(got.k39).toBeUndefined()
  })

  it('never throws on malformed input', () => {
    const inputs = [
      '%',
      '%%%=%%%',
      'a=%ZZ',
      `a=${'\uD800'}`,
      ';',
      'a=1;;;;',
      '\u0000=\u0000',
      'a'.repeat(100_000),
    ]
    for (const baggage of inputs) expect(() => extract({ baggage })).not.toThrow()
  })
})

describe('w3cBaggagePropagator inject', () => {
  it('percent-encodes keys and values and keeps metadata', () => {
    const baggage = propagation.createBaggage({
      'user id': { value: 'Jürgen, 1;2' },
      'a(b)': { value: 'x' },
      tenant: { value: 't1', metadata: { toString: () => 'prop=1' } as never },
    })
    expect(inject(baggage)).toEqual({
      baggage: 'user%20id=J%C3%BCrgen%2C%201%3B2,a%28b%29=x,tenant=t1;prop=1',
    })
  })

  it('sends only the metadata properties that follow the W3C grammar', () => {
    const baggage = propagation.createBaggage({
      lf: { value: '1', metadata: baggageEntryMetadataFromString('a\nb') },
      emoji: { value: '2', metadata: baggageEntryMetadataFromString('p=\u{1F600};q=1') },
      comma: { value: '3', metadata: baggageEntryMetadataFromString('p=1,x=2') },
      quoted: { value: '4', metadata: baggageEntryMetadataFromString('\xe9 "x"\\y;ok') },
      fine: { value: '5', metadata: baggageEntryMetadataFromString('p = 1 ; q') },
    })
    expect(inject(baggage)).toEqual({ baggage: 'lf=1,emoji=2;q=1,comma=3,quoted=4;ok,fine=5;p=1;q' })
  })

  it('drops an entry that cannot be encoded instead of throwing (@opentelemetry/core throws)', () => {
    const baggage = propagation.createBaggage({ bad: { value: 'x\uD800' }, good: { value: '1' } })
    expect(inject(baggage)).toEqual({ baggage: 'good=1' })
    expect(() =>
      new W3CBaggagePropagator().inject(propagation.setBaggage(ROOT_CONTEXT, baggage), {}, recordSetter),
    ).toThrow(URIError)
  })

  it('sends at most 180 members and 8192 bytes', () => {
    const count = inject(
      propagation.createBaggage(
        Object.fromEntries(
          many(200)
            .split(',')
            .map((m) => [m.split('=')[0]!, { value: 'v' }]),
        ),
      ),
    )
    expect(String(count.baggage).split(',')).toHaveLength(180)

    const big = propagation.createBaggage(
      Object.fromEntries(
        Array.from({ length: 40 }, (_, i) => [`k${String(i).padStart(2, '0')}`, { value: 'x'.repeat(200) }]),
      ),
    )
    const sent = String(inject(big).baggage)
    expect(sent.split(',')).toHaveLength(39)
    expect(Buffer.byteLength(sent)).toBeLessThanOrEqual(8192)
  })

  it('round-trips what it extracts', () => {
    const header = 'a=1,user-id=J%C3%BCrgen,t=v;prop=1'
    const out: HeaderRecord = {}
    propagator.inject(extract({ baggage: header }), out, recordSetter)
    expect(out).toEqual({ baggage: header })
  })

  it('serialises a Baggage object once, however many requests carry it', () => {
    const baggage = propagation.createBaggage({ a: { value: '1' } })
    const spy = vi.spyOn(baggage, 'getAllEntries')
    expect(inject(baggage)).toEqual({ baggage: 'a=1' })
    expect(inject(baggage)).toEqual({ baggage: 'a=1' })
    expect(spy).toHaveBeenCalledTimes(1)
  })

  it('injects nothing for empty baggage or when tracing is suppressed', () => {
    expect(inject(propagation.createBaggage())).toEqual({})
    const out: HeaderRecord = {}
    const ctx = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ a: { value: '1' } }))
    propagator.inject(suppressTracing(ctx), out, recordSetter)
    expect(out).toEqual({})
  })
})
