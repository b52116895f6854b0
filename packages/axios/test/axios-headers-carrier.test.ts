import { AxiosHeaders } from 'axios'
import { describe, expect, it } from 'vitest'
import { axiosHeadersSetter } from '../src/axios-headers-carrier'

const TP = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
const TP2 = '00-0af7651916cd43dd8448eb211c80319d-b7ad6b7169203332-01'

describe('axios AxiosHeaders carrier', () => {
  it('replaces a traceparent set in another case and reads it back', () => {
    const headers = new AxiosHeaders({ TraceParent: TP2 })
    axiosHeadersSetter.set(headers, 'traceparent', TP)
    expect(Object.keys(headers.toJSON())).toEqual(['TraceParent'])
    expect(headers.get('traceparent')).toBe(TP)
  })
})
