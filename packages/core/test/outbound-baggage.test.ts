import { diag, propagation } from '@opentelemetry/api'
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
