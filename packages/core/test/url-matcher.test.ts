import { describe, expect, it } from 'vitest'
import { compileUrlMatch } from '../src/policy/url-matcher'

describe('compileUrlMatch (propagateTo, ignore)', () => {
  const match = compileUrlMatch(['https://api.internal', 'http://localhost:8080/svc', /\.corp\.example$/])
  const m = (u: string) => match(new URL(u))

  describe.each<{ rule: string; cases: Array<[string, boolean]> }>([
    {
      rule: 'matches an origin exactly, with any path',
      cases: [
        ['https://api.internal/users?id=1', true],
        ['https://API.internal:443/', true],
        ['http://api.internal/', false],
        ['https://api.internal:8443/', false],
        ['https://api.internal.evil.com/', false],
      ],
    },
    {
      rule: 'matches a URL prefix only at a path boundary',
      cases: [
        ['http://localhost:8080/svc', true],
        ['http://localhost:8080/svc/a', true],
        ['http://localhost:8080/svc?x=1', true],
        ['http://localhost:8080/svcx', false],
        ['http://localhost:8080/other', false],
      ],
    },
    {
      rule: 'never matches an allowed host named in a query string or path of another origin',
      cases: [
        ['https://evil.com/?next=https://api.internal', false],
        ['https://evil.com/https://api.internal/', false],
        ['http://evil.com/?u=http://localhost:8080/svc', false],
      ],
    },
  ])('$rule', ({ cases }) => {
    it.each(cases)('%s: %s', (url, expected) => {
      expect(m(url)).toBe(expected)
    })
  })
  it('tests a RegExp against the full URL', () => {
    expect(compileUrlMatch([/^https:\/\/[a-z]+\.corp\.example\//])(new URL('https://a.corp.example/x'))).toBe(
      true,
    )
  })
  it('passes the URL to a function (unset propagateTo: see propagation-targets)', () => {
    expect(compileUrlMatch((url) => url.hostname === 'x')(new URL('https://x/'))).toBe(true)
  })
  it('rejects a pattern that is not an absolute URL with a clear error', () => {
    expect(() => compileUrlMatch(['api.internal'])).toThrow(/not an absolute URL/)
    expect(() => compileUrlMatch(['/api'])).toThrow(/nor, in a page, a path/)
  })
  it('resolves a path against the page origin, and only a path', () => {
    const inPage = compileUrlMatch(['/api', '//cdn.example'], 'https://app.example')
    expect(inPage(new URL('https://app.example/api/users'))).toBe(true)
    expect(inPage(new URL('https://app.example/apix'))).toBe(false)
    expect(inPage(new URL('https://cdn.example/lib.js'))).toBe(true)
    expect(inPage(new URL('https://other.example/api'))).toBe(false)
    expect(() => compileUrlMatch(['api.internal'], 'https://app.example')).toThrow(/not an absolute URL/)
  })
})
