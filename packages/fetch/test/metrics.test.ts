import { metrics, SpanKind } from '@opentelemetry/api'
import { tracedFetch } from '@otel-http/fetch'
import * as undici from 'undici'
import { describe, expect, it } from 'vitest'
import { refusedPort, useLoopbackServer } from '../../../test/support/loopback-server'
import {
  createMetrics,
  expectOneLoopbackGetPoint,
  measurements,
  setupMetrics,
} from '../../../test/support/metrics'

const DURATION = 'http.client.request.duration'
const sdk = setupMetrics()
const { tracing } = sdk
// Made while no MeterProvider is registered: every test registers a new one, which they follow.
const implementations = [
  { name: "Node's global fetch", impl: globalThis.fetch },
  { name: "undici's fetch", impl: undici.fetch as unknown as typeof fetch },
]
const target = useLoopbackServer()

describe.each(implementations)('tracedFetch over $name', ({ impl }) => {
  const fetch = tracedFetch(impl)

  it('records one http.client.request.duration with the stable attributes, never the URL', async () => {
    const response = await fetch(`${target.origin}/users/42?token=secret`)
    await response.text()
    expectOneLoopbackGetPoint(await sdk.histogram(DURATION), {
      scope: '@otel-http/fetch',
      count: 1,
      port: target.port,
    })
  })

  it('measures until the Response arrives, not until its body ends', async () => {
    const response = await fetch(`${target.origin}/partial`)
    expect(measurements(await sdk.histogram(DURATION))).toBe(1)
    target.releasePartial()
    expect(await response.text()).toBe('partial')
    expect(measurements(await sdk.histogram(DURATION))).toBe(1)
  })

  it('sets error.type to the status for 4xx and 5xx', async () => {
    for (const status of [404, 503]) await (await fetch(`${target.origin}/status/${status}`)).text()
    const points = await sdk.histogram(DURATION)
    expect(
      points.map((p) => [p.attributes['http.response.status_code'], p.attributes['error.type']]),
    ).toEqual([
      [404, '404'],
      [503, '503'],
    ])
  })

  it('sets error.type to the failure when no response came: refused, aborted', async () => {
    await expect(fetch(`http://127.0.0.1:${await refusedPort()}/`)).rejects.toThrow()
    const controller = new AbortController()
    const hanging = target.nextRequest()
    const aborted = fetch(`${target.origin}/hang`, { signal: controller.signal })
    await hanging
    controller.abort()
    await expect(aborted).rejects.toThrow()
    const points = await sdk.histogram(DURATION)
    expect(points.map((p) => p.attributes['error.type'])).toEqual(['ECONNREFUSED', 'AbortError'])
    expect(points.every((p) => !('http.response.status_code' in p.attributes))).toBe(true)
  })

  it('reports an unknown method as _OTHER', async () => {
    await (await fetch(`${target.origin}/`, { method: 'PURGE' })).text()
    const [point] = await sdk.histogram(DURATION)
    expect(point!.attributes['http.request.method']).toBe('_OTHER')
  })
})

describe('tracedFetch options', () => {
  const spansOff = tracedFetch(globalThis.fetch, { spans: false })
  const metricsOff = tracedFetch(globalThis.fetch, { metrics: false })

  it('records with spans: false (metrics do not depend on sampling)', async () => {
    await (await spansOff(`${target.origin}/`)).text()
    expect(tracing.spans()).toEqual([])
    const [point] = await sdk.histogram(DURATION)
    expect(point).toMatchObject({ count: 1, attributes: { 'http.response.status_code': 200 } })
  })

  it('records nothing with metrics: false, and still traces', async () => {
    await (await metricsOff(`${target.origin}/`)).text()
    expect(tracing.spans().filter((s) => s.kind === SpanKind.CLIENT)).toHaveLength(1)
    expect(await sdk.histogram(DURATION)).toEqual([])
  })

  it('records into the meterProvider option rather than the global one', async () => {
    const own = createMetrics()
    const fetch = tracedFetch(globalThis.fetch, { meterProvider: own.provider })
    await (await fetch(`${target.origin}/`)).text()
    expect(measurements(await own.histogram(DURATION))).toBe(1)
    expect(await sdk.histogram(DURATION)).toEqual([])
  })

  it('follows the global MeterProvider: nothing while none is registered, then records', async () => {
    const fetch = tracedFetch()
    metrics.disable()
    await (await fetch(`${target.origin}/`)).text()
    sdk.register()
    await (await fetch(`${target.origin}/`)).text()
    expect(measurements(await sdk.histogram(DURATION))).toBe(1)
  })
})
