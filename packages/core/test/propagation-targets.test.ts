import { afterEach, describe, expect, it, vi } from 'vitest'
import { pageOrigin } from '../src/policy/page-origin'
import { compilePropagateTo } from '../src/policy/propagation-targets'

const page = 'https://app.example'

describe('compilePropagateTo in a page', () => {
  const rule = (option: Parameters<typeof compilePropagateTo>[0]) => {
    const allowed = compilePropagateTo(option, page)!
    return (u: string) => allowed(new URL(u))
  }

  it('sends context to the page origin only by default', () => {
    const allowed = rule(undefined)
    expect(allowed('https://app.example/api/users')).toBe(true)
    expect(allowed('https://APP.example:443/')).toBe(true)
    expect(allowed('https://api.example/')).toBe(false)
    expect(allowed('http://app.example/')).toBe(false)
    expect(allowed('https://app.example:8443/')).toBe(false)
  })
  it('adds listed origins to the page origin instead of replacing it', () => {
    const allowed = rule(['https://api.example'])
    expect(allowed('https://api.example/v1')).toBe(true)
    expect(allowed('https://app.example/anything')).toBe(true)
    expect(allowed('https://cdn.example/')).toBe(false)
  })
  it('resolves paths and scheme-relative entries against the page', () => {
    const allowed = rule(['/api', '//api.example'])
    expect(allowed('https://api.example/x')).toBe(true)
    expect(allowed('http://api.example/x')).toBe(false)
    expect(allowed('https://cdn.example/api')).toBe(false)
  })
  it('lets a predicate decide alone, the page origin included', () => {
    const allowed = rule((url) => url.pathname.startsWith('/traced'))
    expect(allowed('https://app.example/other')).toBe(false)
    expect(allowed('https://elsewhere.example/traced')).toBe(true)
  })
  it('rejects a string that is neither an absolute URL nor a path', () => {
    expect(() => compilePropagateTo(['api.example'], page)).toThrow(/not an absolute URL/)
  })
})

describe('compilePropagateTo outside a page', () => {
  it('sends context everywhere by default, without needing the URL', () => {
    expect(compilePropagateTo(undefined, undefined)).toBeUndefined()
  })
  it('sends context only where listed when a list is given', () => {
    const allowed = compilePropagateTo(['https://api.example'], undefined)!
    expect(allowed(new URL('https://api.example/x'))).toBe(true)
    expect(allowed(new URL('https://other.example/x'))).toBe(false)
  })
  it('explains that a path needs a page', () => {
    expect(() => compilePropagateTo(['/api'], undefined)).toThrow(/nor, in a page, a path/)
  })
})

describe('pageOrigin', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })
  it('is undefined in Node', () => {
    expect(pageOrigin()).toBeUndefined()
  })
  it('reads an http(s) location and nothing else', () => {
    vi.stubGlobal('location', { origin: 'http://127.0.0.1:5173', href: 'http://127.0.0.1:5173/a' })
    expect(pageOrigin()).toBe('http://127.0.0.1:5173')
    vi.stubGlobal('location', { origin: 'null', href: 'file:///tmp/page.html' })
    expect(pageOrigin()).toBeUndefined()
  })
  it('is undefined when reading location throws (Deno without --location)', () => {
    Object.defineProperty(globalThis, 'location', {
      configurable: true,
      get() {
        throw new ReferenceError('Access to "location", run again with --location <href>.')
      },
    })
    try {
      expect(pageOrigin()).toBeUndefined()
    } finally {
      delete (globalThis as { location?: unknown }).location
    }
  })
})
