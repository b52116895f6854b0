import { describe, expect, it } from 'vitest'
import { flatHeadersSetter, toFlatHeaders } from '../src/undici-headers-carrier'

const TP = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
const TP2 = '00-0af7651916cd43dd8448eb211c80319d-b7ad6b7169203332-01'

describe('undici header forms', () => {
  it('copies any form into a flat array without touching the original', () => {
    const original = { accept: ['a', 'b'], 'x-n': 1 as unknown as string }
    const flat = toFlatHeaders(original)
    expect(flat).toEqual(['accept', 'a', 'accept', 'b', 'x-n', '1'])
    flatHeadersSetter.set(flat, 'traceparent', TP)
    expect(original).toEqual({ accept: ['a', 'b'], 'x-n': 1 })
    expect(toFlatHeaders(new Map([['a', 'b']]))).toEqual(['a', 'b'])
    expect(toFlatHeaders([Buffer.from('a'), Buffer.from('b')])).toEqual(['a', 'b'])
  })
  it('replaces every pair with the same name in a flat array', () => {
    const flat = ['TraceParent', TP2, 'accept', '*/*', 'traceparent', TP2]
    flatHeadersSetter.set(flat, 'traceparent', TP)
    expect(flat).toEqual(['accept', '*/*', 'traceparent', TP])
  })
})
