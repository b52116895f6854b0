import { SpanKind } from '@opentelemetry/api'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleForBrowser } from '../support/browser-bundle'
import { parseTraceparent } from '../support/tracing'
import { type Origin, startOrigin } from './origins'
import type { ScenarioResult } from './scenario'

// tracedFetch and instrumentAxios (XHR adapter) in Debian's Chromium, driven by playwright-core,
// against three loopback origins: the page's own, one whose CORS allows the trace headers, and a
// strict one. `pnpm test:browser`; `.ci/browser` installs Chromium when it is missing.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

let page: Origin
let allowing: Origin
let strict: Origin
let browser: Browser
let tab: Page
const consoleLines: string[] = []

beforeAll(async () => {
  // es2016: async/await becomes generators over Promise, which zone.js patches, so the
  // ZoneContextManager keeps the active span across awaits (it cannot with native async).
  const script = await bundleForBrowser(`import './test/browser/page.ts'`, {
    format: 'iife',
    target: 'es2016',
  })
  const html = '<!doctype html><html><head><script src="/page.js"></script></head><body></body></html>'
  const pageUrl = () => page.url
  page = await startOrigin('page', pageUrl, {
    '/': { type: 'text/html', body: html },
    '/page.js': { type: 'text/javascript', body: script },
  })
  allowing = await startOrigin('allowing', pageUrl)
  strict = await startOrigin('strict', pageUrl)
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  tab = await browser.newPage()
  tab.on('console', (message) => consoleLines.push(message.text()))
  tab.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`))
  await tab.goto(`${page.url}/`)
  await tab.waitForFunction(() => 'otelHttpScenario' in globalThis)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await Promise.all([page, allowing, strict].map((origin) => origin?.close()))
})

type Urls = { fetch: string[]; axios: string[] }
type Options = { propagateTo?: string[]; traced?: boolean }

function run(urls: Urls, options: Options): Promise<ScenarioResult> {
  return tab.evaluate(
    ([u, o]) =>
      (
        globalThis as unknown as { otelHttpScenario: (u: Urls, o: Options) => Promise<ScenarioResult> }
      ).otelHttpScenario(u, o),
    [urls, options] as const,
  )
}

/** One URL per origin and client, unique to the test, so the wire records tell requests apart. */
function targets(test: string) {
  const urls = { fetch: [] as string[], axios: [] as string[] }
  const paths: Record<string, { origin: Origin; path: string; url: string }> = {}
  for (const client of ['fetch', 'axios'] as const) {
    for (const [name, origin] of [
      ['page', page],
      ['allowing', allowing],
      ['strict', strict],
    ] as const) {
      const path = `/api/${test}/${client}/${name}`
      // The page's own origin is called with a relative URL, as pages do.
      const url = name === 'page' ? path : `${origin.url}${path}`
      urls[client].push(url)
      paths[`${client} ${name}`] = { origin, path, url }
    }
  }
  return { urls, paths }
}

/** The non-preflight request that reached `origin` at `path`, if any. */
const arrived = (origin: Origin, path: string) =>
  origin.received.find((r) => r.path === path && r.method !== 'OPTIONS')
const preflighted = (origin: Origin, path: string) =>
  origin.received.some((r) => r.path === path && r.method === 'OPTIONS')

/** The CLIENT span for `absoluteUrl`; a child of the page span. */
function clientSpan(result: ScenarioResult, absoluteUrl: string) {
  const spans = result.spans.filter((s) => s.kind === SpanKind.CLIENT && s.url === absoluteUrl)
  expect(spans, `one CLIENT span for ${absoluteUrl}`).toHaveLength(1)
  const span = spans[0]!
  const pageSpan = result.spans.find((s) => s.spanId === result.pageSpanId)!
  expect(span.parentSpanId).toBe(result.pageSpanId)
  expect(span.traceId).toBe(pageSpan.traceId)
  return span
}

/** The request carried the CLIENT span as its parent and the page's baggage. */
function expectContext(result: ScenarioResult, origin: Origin, path: string) {
  const request = arrived(origin, path)
  expect(request, `${origin.url}${path} arrived`).toBeDefined()
  const span = clientSpan(result, `${origin.url}${path}`)
  expect(parseTraceparent(request!.headers.traceparent as string)).toMatchObject({
    traceId: span.traceId,
    parentId: span.spanId,
  })
  expect(request!.headers.baggage).toBe('user_id=alice')
}

function expectNoContext(result: ScenarioResult, origin: Origin, path: string) {
  const request = arrived(origin, path)
  expect(request, `${origin.url}${path} arrived`).toBeDefined()
  expect(request!.headers.traceparent).toBeUndefined()
  expect(request!.headers.baggage).toBeUndefined()
  expect(preflighted(origin, path), `no preflight for ${origin.url}${path}`).toBe(false)
  clientSpan(result, `${origin.url}${path}`)
}

describe('in Chromium, with the OpenTelemetry web SDK', () => {
  it('the strict origin accepts the same requests made without otel-http', async () => {
    const { urls } = targets('untraced')
    const result = await run(urls, { traced: false })
    for (const [request, outcome] of Object.entries(result.outcomes)) {
      expect(outcome, request).toEqual({ ok: true, status: 200 })
    }
  })

  it('default options: context to the page origin only, every request still succeeds', async () => {
    const { urls, paths } = targets('defaults')
    const result = await run(urls, {})
    for (const [request, outcome] of Object.entries(result.outcomes)) {
      expect(outcome, `${request} (console: ${consoleLines.join(' | ')})`).toEqual({ ok: true, status: 200 })
    }
    for (const client of ['fetch', 'axios']) {
      expectContext(result, page, paths[`${client} page`]!.path)
      expectNoContext(result, allowing, paths[`${client} allowing`]!.path)
      expectNoContext(result, strict, paths[`${client} strict`]!.path)
    }
    expect(result.warnings).toEqual([])
  })

  it('listed entries (an origin, a path) add to the page origin; the preflight allows the headers', async () => {
    const { urls, paths } = targets('listed')
    const result = await run(urls, { propagateTo: [allowing.url, '/api'] })
    for (const [request, outcome] of Object.entries(result.outcomes)) {
      expect(outcome, request).toEqual({ ok: true, status: 200 })
    }
    for (const client of ['fetch', 'axios']) {
      expectContext(result, page, paths[`${client} page`]!.path)
      expectContext(result, allowing, paths[`${client} allowing`]!.path)
      expect(preflighted(allowing, paths[`${client} allowing`]!.path)).toBe(true)
      expectNoContext(result, strict, paths[`${client} strict`]!.path)
    }
  })

  it('forcing context onto the strict origin fails there, and diag says why, once', async () => {
    const { urls, paths } = targets('forced')
    const result = await run(urls, { propagateTo: [strict.url] })
    expect(result.outcomes[`fetch ${paths['fetch strict']!.url}`]).toMatchObject({
      ok: false,
      error: /^TypeError/,
    })
    expect(result.outcomes[`axios ${paths['axios strict']!.url}`]).toEqual({
      ok: false,
      error: 'ERR_NETWORK',
    })
    for (const client of ['fetch', 'axios']) {
      const { path } = paths[`${client} strict`]!
      expect(preflighted(strict, path)).toBe(true)
      expect(arrived(strict, path)).toBeUndefined()
      expect(clientSpan(result, `${strict.url}${path}`).errorType).toBeDefined()
    }
    const hints = result.warnings.filter((w) => w.includes('CORS'))
    expect(hints).toHaveLength(1)
    expect(hints[0]).toContain(strict.url)
    expect(hints[0]).toContain('Access-Control-Allow-Headers: traceparent, baggage')
    expect(hints[0]).toContain('propagateTo')
  })
})
