import axios, { type AxiosRequestConfig, type InternalAxiosRequestConfig } from 'axios'
import { describe, expect, it } from 'vitest'
import { requestUrl } from '../src/request-url'

// What the request interceptor sees: the call's config merged with the instance defaults.
function seen(defaults: AxiosRequestConfig, config: AxiosRequestConfig) {
  const instance = axios.create(defaults)
  return {
    instance,
    merged: axios.mergeConfig(instance.defaults as AxiosRequestConfig, config) as InternalAxiosRequestConfig,
  }
}

describe('requestUrl', () => {
  it.each<[string, AxiosRequestConfig, AxiosRequestConfig]>([
    ['base + path', { baseURL: 'http://api.test/v1' }, { url: '/users/1' }],
    ['base with trailing slashes', { baseURL: 'http://api.test/v1//' }, { url: 'users/1' }],
    ['base + empty url', { baseURL: 'http://api.test/v1' }, {}],
    ['absolute url wins over base', { baseURL: 'http://api.test' }, { url: 'http://other.test/x' }],
    ['allowAbsoluteUrls: false', { baseURL: 'http://api.test', allowAbsoluteUrls: false }, { url: 'x' }],
    ['no base', {}, { url: 'http://api.test/a?b=1#frag' }],
    ['params', { baseURL: 'http://api.test' }, { url: '/s?q=1', params: { page: 2, tags: ['a', 'b'] } }],
    ['params serializer', {}, { url: 'http://api.test/s', params: { a: 1 }, paramsSerializer: () => 'z=9' }],
    ['relative path without a leading slash', { baseURL: 'http://api.test/v1' }, { url: 'users/1' }],
    ['a colon in the path', { baseURL: 'http://api.test' }, { url: '/users/a:b' }],
    [
      'absolute url, allowAbsoluteUrls: false',
      { baseURL: 'http://api.test', allowAbsoluteUrls: false },
      { url: 'http://other.test/x' },
    ],
    ['https and upper-case scheme', { baseURL: 'HTTPS://api.test/' }, { url: '/x' }],
    ['empty baseURL', { baseURL: '' }, { url: 'http://api.test/x' }],
  ])('%s: the URL getUri gives', (_, defaults, config) => {
    const { instance, merged } = seen(defaults, config)
    expect(requestUrl((c) => instance.getUri(c), merged)?.href).toBe(new URL(instance.getUri(config)).href)
  })

  it('is undefined for a relative URL outside a document (axios rejects it)', () => {
    const { instance, merged } = seen({}, { url: '/relative' })
    expect(requestUrl((c) => instance.getUri(c), merged)).toBeUndefined()
  })

  it('leaves a URL axios will reject as malformed to getUri', () => {
    const { instance, merged } = seen({}, { url: 'http:api.test/x' })
    expect(() => requestUrl((c) => instance.getUri(c), merged)).not.toThrow()
  })
})
