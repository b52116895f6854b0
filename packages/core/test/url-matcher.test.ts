import { describe, expect, it } from 'vitest'
import { compileUrlMatch } from '../src/policy/url-matcher'

describe('compileUrlMatch (propagateTo, ignore)', () => {
  const match = compileUrlMatch(
    ['https://api.internal', 'http://localhost:8080/svc', /\.corp\.example$/],
    true,
  )
  const m = (u: string) => match(new URL(u))

  it('matches an origin exactly, with any path', () => {
    expect(m('https://api.internal/users?id=1')).toBe(true)
    expect(m('https://API.internal:443/')).toBe(true)
    expect(m('http://api.internal/')).toBe(false)
    expect(m('https://api.internal:8443/')).toBe(false)
    expect(m('https://api.internal.evil.com/')).toBe(false)
  })
  it('matches a URL prefix only at a path boundary', () => {
    expect(m('http://localhost:8080/svc')).toBe(true)
    expect(m('http://localhost:8080/svc/a')).toBe(true)
    expect(m('http://localhost:8080/svc?x=1')).toBe(true)
    expect(m('http://localhost:8080/svcx')).toBe(false)
    expect(m('http://localhost:8080/other')).toBe(false)
  })
  it('never matches an allowed host named in a query string or path of another origin', () => {
    expect(m('https://evil.com/?next=https://api.internal')).toBe(false)
    expect(m('https://evil.com/https://api.internal/')).toBe(false)
    expect(m('http://evil.com/?u=http://localhost:8080/svc')).toBe(false)
  })
  it('tests a RegExp against the full URL', () => {
    expect(
      compileUrlMatch([/^https:\/\/[a-z]+\.corp\.example\//], true)(new URL('https://a.corp.example/x')),
    ).toBe(true)
  })
  it('uses the default when unset and passes the URL to a function', () => {
    expect(compileUrlMatch(undefined, true)(new URL('https://x'))).toBe(true)
    expect(compileUrlMatch(undefined, false)(new URL('https://x'))).toBe(false)
    expect(compileUrlMatch((url) => url.hostname === 'x', false)(new URL('https://x/'))).toBe(true)
  })
  it('rejects a pattern that is not an absolute URL with a clear error', () => {
    expect(() => compileUrlMatch(['api.internal'], true)).toThrow(/not an absolute URL/)
    expect(() => compileUrlMatch(['/api'], true)).toThrow(/nor, in a page, a path/)
  })
  it('resolves a path against the page origin, and only a path', () => {
    const inPage = compileUrlMatch(['/api', '//cdn.example'], false, 'https://app.example')
    expect(inPage(new URL('https://app.example/api/users'))).toBe(true)
    expect(inPage(new URL('https://app.example/apix'))).toBe(false)
    expect(inPage(new URL('https://cdn.example/lib.js'))).toBe(true)
    expect(inPage(new URL('https://other.example/api'))).toBe(false)
    expect(() => compileUrlMatch(['api.internal'], false, 'https://app.example')).toThrow(
      /not an absolute URL/,
    )
  })
})
