import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createMetrics, measurements, setupMetrics } from '../../../test/support/metrics'
import { type App, frameworks, stackedExpressListener } from './apps'

const DURATION = 'http.server.request.duration'
const ACTIVE = 'http.server.active_requests'
const sdk = setupMetrics()
const { tracing } = sdk

/** Sum of `http.server.active_requests` over every attribute set. */
const active = async () => (await sdk.sum(ACTIVE)).reduce((total, point) => total + point.value, 0)

/** The one duration recorded, once the server has ended the request (after the client has its answer). */
const recorded = () =>
  vi.waitFor(async () => {
    const points = await sdk.histogram(DURATION)
    expect(measurements(points)).toBe(1)
    return points[0]!
  })

describe.each(frameworks)('$name', (framework) => {
  let app: App
  let off: App

  // Started while no MeterProvider is registered: every test registers a new one, which it follows.
  beforeAll(async () => {
    app = await framework.start({})
    off = await framework.start({ metrics: false })
  })
  afterAll(async () => {
    await app?.close()
    await off?.close()
  })

  it('records http.server.request.duration with the stable attributes and the route, never the path', async () => {
    await (await request(`${app.url}/users/42?token=secret`)).body.text()
    const point = await recorded()
    expect(point.scope).toBe('@otel-http/server')
    const expected: Record<string, unknown> = {
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'http.response.status_code': 200,
    }
    if (framework.routes) expected['http.route'] = '/users/:id'
    if (framework.name !== 'traceFetchHandler') expected['network.protocol.version'] = '1.1'
    expect(point.attributes).toEqual(expected)
    await vi.waitFor(async () => expect(await active()).toBe(0))
  })

  it('sets error.type for a thrown error and a 5xx, not for a 404', async () => {
    await (await request(`${app.url}/boom`)).body.dump()
    await (await request(`${app.url}/fail`)).body.dump()
    await (await request(`${app.url}/nothing/here`)).body.dump()
    const points = await vi.waitFor(async () => {
      const all = await sdk.histogram(DURATION)
      expect(measurements(all)).toBe(3)
      return all
    })
    const outcomes = points.map((p) => [
      p.attributes['http.response.status_code'],
      p.attributes['error.type'],
    ])
    expect(outcomes).toEqual(
      expect.arrayContaining([
        // A fetch handler that throws returns no Response: its host picks the status.
        [framework.name === 'traceFetchHandler' ? undefined : 500, '_OTHER'],
        [503, '503'],
        [404, undefined],
      ]),
    )
    const notFound = points.find((p) => p.attributes['http.response.status_code'] === 404)
    expect(notFound!.attributes).not.toHaveProperty('http.route')
  })

  it.runIf(framework.followsResponse)(
    'counts a request active while it runs, and back to 0 when the client aborts it',
    async () => {
      const controller = new AbortController()
      const response = await fetch(`${app.url}/hang`, { signal: controller.signal })
      const reader = response.body!.getReader()
      await reader.read()
      expect(await active()).toBe(1)
      const [point] = await sdk.sum(ACTIVE)
      expect(point!.attributes).toEqual({ 'http.request.method': 'GET', 'url.scheme': 'http' })
      controller.abort()
      await reader.read().catch(() => {})
      const aborted = await recorded()
      expect(aborted.attributes['error.type']).toBe('connection_closed')
      expect(await active()).toBe(0)
    },
  )

  it('records nothing with metrics: false', async () => {
    await (await request(`${off.url}/users/1`)).body.text()
    // The traced app's span ends when the response closes: wait for it, then look.
    await vi.waitFor(() =>
      expect(tracing.spans().some((s) => s.attributes['url.path'] === '/users/1')).toBe(true),
    )
    expect(await sdk.histogram(DURATION)).toEqual([])
    expect(await sdk.sum(ACTIVE)).toEqual([])
  })

  it('records into the meterProvider option rather than the global one', async () => {
    const own = createMetrics()
    const owned = await framework.start({ meterProvider: own.provider })
    try {
      await (await request(`${owned.url}/users/1`)).body.text()
      await vi.waitFor(async () => expect(measurements(await own.histogram(DURATION))).toBe(1))
      expect(await sdk.histogram(DURATION)).toEqual([])
    } finally {
      await owned.close()
    }
  })
})

describe('stacked server adapters', () => {
  it('expressTracing inside traceRequestListener records one measurement, with the route', async () => {
    const server = createServer(stackedExpressListener())
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      await (await request(`http://127.0.0.1:${port}/users/7`)).body.text()
      const point = await recorded()
      expect(point.attributes['http.route']).toBe('/users/:id')
      expect(await active()).toBe(0)
    } finally {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})
