import {
  type Baggage,
  baggageEntryMetadataFromString,
  diag,
  propagation,
  ROOT_CONTEXT,
} from '@opentelemetry/api'
import { W3CBaggagePropagator } from '@opentelemetry/core'
import { describe, expect, it, vi } from 'vitest'
import { compileOutboundBaggage } from '../src/policy/outbound-baggage'
import { isSecretLookingKey } from '../src/policy/secret-keys'

const bag = (entries: Record<string, string>) =>
  propagation.createBaggage(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, { value: v }])))
const keys = (b: ReturnType<typeof bag>) => b.getAllEntries().map(([k]) => k)

describe('outbound baggage guard', () => {
  it('recognises secret-looking keys in any case or separator style', () => {
    for (const key of [
      'Authorization',
      'password',
      'db_passwd',
      'client-secret',
      'accessToken',
      'X-Api-Key',
      'api_key',
      'Cookie',
      'sessionId',
      'SESSION',
    ]) {
      expect(isSecretLookingKey(key), key).toBe(true)
    }
    for (const key of ['user_id', 'tenant', 'region', 'apikind'])
      expect(isSecretLookingKey(key), key).toBe(false)
  })
  it('recognises them in Unicode look-alikes: compatibility forms, full case folding, invisible characters', () => {
    for (const key of [
      '\uff54\uff4f\uff4b\uff45\uff4e', // ｔｏｋｅｎ
      '\uff30\uff21\uff33\uff33\uff37\uff2f\uff32\uff24', // ＰＡＳＳＷＯＲＤ
      'pa\u00dfword', // paßword
      'PA\u1E9EWORD', // PAẞWORD
      'api\uff3fkey', // api＿key
      'to\u200bken', // a zero-width space inside
      '\u{1D42C}\u{1D41E}\u{1D41C}\u{1D42B}\u{1D41E}\u{1D42D}', // 𝐬𝐞𝐜𝐫𝐞𝐭 (mathematical bold)
      '\u2460session', // ①session
    ]) {
      expect(isSecretLookingKey(key), key).toBe(true)
    }
    for (const key of ['\uff55\uff53\uff45\uff52', 'r\u00e9gion'])
      expect(isSecretLookingKey(key), key).toBe(false)
  })
  it('does not send a look-alike secret key', () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {})
    const filter = compileOutboundBaggage(undefined)
    expect(keys(filter(bag({ user_id: 'a', '\uff54\uff4f\uff4b\uff45\uff4e': 't' })))).toEqual(['user_id'])
    warn.mockRestore()
  })
  it('drops secret-looking keys by default and warns once per key', () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {})
    const filter = compileOutboundBaggage(undefined)
    expect(keys(filter(bag({ user_id: 'alice', api_key: 'k1', other_token: 't' })))).toEqual(['user_id'])
    filter(bag({ api_key: 'k2' }))
    expect(warn.mock.calls.filter(([m]) => String(m).includes('"api_key"'))).toHaveLength(1)
    warn.mockRestore()
  })
  it('narrows with an allowlist or a predicate, and can turn the guard off explicitly', () => {
    expect(keys(compileOutboundBaggage(['user_id'])(bag({ user_id: 'a', tenant: 't' })))).toEqual(['user_id'])
    expect(keys(compileOutboundBaggage((k) => k !== 'tenant')(bag({ user_id: 'a', tenant: 't' })))).toEqual([
      'user_id',
    ])
    expect(keys(compileOutboundBaggage({ dropSecretKeys: false })(bag({ token: 'x' })))).toEqual(['token'])
    expect(keys(compileOutboundBaggage({ allow: ['token'] })(bag({ token: 'x' })))).toEqual([])
  })
  it('filters an unchanged Baggage once and returns the same object', () => {
    const filter = compileOutboundBaggage(['user_id'])
    const b = bag({ user_id: 'a', tenant: 't' })
    expect(filter(b)).toBe(filter(b))
    const clean = bag({ user_id: 'a' })
    expect(filter(clean)).toBe(clean)
  })
})

describe('outbound baggage metadata', () => {
  const withMetadata = (metadata: string, key = 'k') =>
    propagation.createBaggage({
      a: { value: '1' },
      [key]: { value: 'v', metadata: baggageEntryMetadataFromString(metadata) },
    })
  const sent = (baggage: Baggage) => {
    const out: Record<string, string> = {}
    new W3CBaggagePropagator().inject(propagation.setBaggage(ROOT_CONTEXT, baggage), out, {
      set: (c, k, v) => {
        c[k] = v
      },
    })
    return out.baggage
  }

  it.each([
    ['received from a caller', 'k1', '\xe9 "x"\\y', 'a=1,k1=v'],
    ['with a line feed', 'k2', 'a\nb', 'a=1,k2=v'],
    ['with an emoji', 'k3', 'p=\u{1F600}', 'a=1,k3=v'],
    ['with a comma', 'k4', 'p=1,x=2', 'a=1,k4=v'],
    ['partly valid', 'k5', 'p=1;bad prop;q', 'a=1,k5=v;p=1;q'],
  ])(
    'that breaks the W3C grammar (%s) is not sent, whatever the propagator',
    (_name, key, metadata, expected) => {
      const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {})
      for (const option of [undefined, { dropSecretKeys: false }, ['a', key]]) {
        const filter = compileOutboundBaggage(option)
        expect(sent(filter(withMetadata(metadata, key)))).toBe(expected)
      }
      // Once per key, however many policies and Baggage objects meet it.
      expect(warn.mock.calls.filter(([m]) => String(m).includes(`baggage key "${key}"`))).toHaveLength(1)
      warn.mockRestore()
    },
  )

  it('that follows the grammar is kept as it is, on the same Baggage object', () => {
    const filter = compileOutboundBaggage({ dropSecretKeys: false })
    const b = withMetadata('p=1; q')
    expect(filter(b)).toBe(b)
  })

  it('whose toString throws is dropped, not the request', () => {
    vi.spyOn(diag, 'warn').mockImplementation(() => {})
    const b = propagation.createBaggage({
      k: {
        value: 'v',
        metadata: {
          toString: () => {
            throw new Error('no')
          },
        } as never,
      },
    })
    expect(sent(compileOutboundBaggage(undefined)(b))).toBe('k=v')
    vi.restoreAllMocks()
  })
})
