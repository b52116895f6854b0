import { Writable } from 'node:stream'
import { tracingInterceptor } from '@otel-http/undici'
import { Agent, fetch, request, stream } from 'undici'
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
// Composed while no MeterProvider is registered: every test registers a new one, which it follows.
const agent = new Agent()
const dispatcher = agent.compose(tracingInterceptor())
const target = useLoopbackServer(() => agent.close())

describe('tracingInterceptor metrics', () => {
  it('records one http.client.request.duration per request, stream and fetch, with the stable attributes', async () => {
    await (await request(`${target.origin}/users/42?token=secret`, { dispatcher })).body.text()
    await stream(
      `${target.origin}/`,
      { dispatcher, method: 'GET' },
      () => new Writable({ write: (_c, _e, done) => done() }),
    )
    await (await fetch(`${target.origin}/`, { dispatcher })).text()
    expectOneLoopbackGetPoint(await sdk.histogram(DURATION), {
      scope: '@otel-http/undici',
      count: 3,
      port: target.port,
    })
  })

  it('measures until the body ends', async () => {
    const { body } = await request(`${target.origin}/partial`, { dispatcher })
    expect(await sdk.histogram(DURATION)).toEqual([])
    target.releasePartial()
    expect(await body.text()).toBe('partial')
    expect(measurements(await sdk.histogram(DURATION))).toBe(1)
  })

  it('sets error.type to the status for 4xx and 5xx, and to the failure without a response', async () => {
    for (const status of [404, 500]) {
      await (await request(`${target.origin}/status/${status}`, { dispatcher })).body.dump()
    }
    await expect(request(`http://127.0.0.1:${await refusedPort()}/`, { dispatcher })).rejects.toThrow()
    const controller = new AbortController()
    const hanging = target.nextRequest()
    const aborted = request(`${target.origin}/hang`, { dispatcher, signal: controller.signal })
    await hanging
    controller.abort()
    await expect(aborted).rejects.toThrow()
    const points = await sdk.histogram(DURATION)
    expect(
      points.map((p) => [p.attributes['http.response.status_code'], p.attributes['error.type']]),
    ).toEqual([
      [404, '404'],
      [500, '500'],
      [undefined, 'ECONNREFUSED'],
      [undefined, 'AbortError'],
    ])
  })

  it('records with spans: false, not with metrics: false, and into a meterProvider option', async () => {
    const own = createMetrics()
    const plain = new Agent()
    try {
      const spansOff = plain.compose(tracingInterceptor({ spans: false }))
      const metricsOff = plain.compose(tracingInterceptor({ metrics: false }))
      const ownProvider = plain.compose(tracingInterceptor({ meterProvider: own.provider }))
      await (await request(`${target.origin}/`, { dispatcher: spansOff })).body.text()
      expect(tracing.spans()).toEqual([])
      expect(measurements(await sdk.histogram(DURATION))).toBe(1)
      await (await request(`${target.origin}/`, { dispatcher: metricsOff })).body.text()
      expect(tracing.spans()).toHaveLength(1)
      expect(measurements(await sdk.histogram(DURATION))).toBe(1)
      await (await request(`${target.origin}/`, { dispatcher: ownProvider })).body.text()
      expect(measurements(await sdk.histogram(DURATION))).toBe(1)
      expect(measurements(await own.histogram(DURATION))).toBe(1)
    } finally {
      await plain.close()
    }
  })
})
