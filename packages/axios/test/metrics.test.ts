import { instrumentAxios } from '@otel-http/axios'
import axios from 'axios'
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
const target = useLoopbackServer()

describe.each(['http', 'fetch'] as const)('instrumentAxios metrics, %s adapter', (adapter) => {
  // Instrumented while no MeterProvider is registered: every test registers a new one, which it follows.
  const api = axios.create({ adapter, responseType: 'text' })
  instrumentAxios(api)

  it('records one http.client.request.duration with the stable attributes, never the URL', async () => {
    await api.get(`${target.origin}/users/42?token=secret`)
    expectOneLoopbackGetPoint(await sdk.histogram(DURATION), {
      scope: '@otel-http/axios',
      count: 1,
      port: target.port,
    })
  })

  it('sets error.type to a rejected status, and to the failure without a response', async () => {
    await expect(api.get(`${target.origin}/status/404`)).rejects.toThrow()
    await expect(api.post(`${target.origin}/status/502`, 'x')).rejects.toThrow()
    await expect(api.get(`http://127.0.0.1:${await refusedPort()}/`)).rejects.toThrow()
    const controller = new AbortController()
    const hanging = target.nextRequest()
    const aborted = api.get(`${target.origin}/hang`, { signal: controller.signal })
    await hanging
    controller.abort()
    await expect(aborted).rejects.toThrow()
    const points = await sdk.histogram(DURATION)
    expect(
      points.map((p) => [
        p.attributes['http.request.method'],
        p.attributes['http.response.status_code'],
        p.attributes['error.type'],
      ]),
    ).toEqual([
      ['GET', 404, '404'],
      ['POST', 502, '502'],
      ['GET', undefined, adapter === 'http' ? 'ECONNREFUSED' : 'ERR_NETWORK'],
      ['GET', undefined, 'ERR_CANCELED'],
    ])
  })
})

describe('instrumentAxios metrics options', () => {
  it('records with spans: false, not with metrics: false, and into a meterProvider option', async () => {
    const own = createMetrics()
    const spansOff = axios.create({ responseType: 'text' })
    const metricsOff = axios.create({ responseType: 'text' })
    const ownProvider = axios.create({ responseType: 'text' })
    instrumentAxios(spansOff, { spans: false })
    instrumentAxios(metricsOff, { metrics: false })
    instrumentAxios(ownProvider, { meterProvider: own.provider })

    await spansOff.get(`${target.origin}/`)
    expect(tracing.spans()).toEqual([])
    expect(measurements(await sdk.histogram(DURATION))).toBe(1)
    await metricsOff.get(`${target.origin}/`)
    expect(tracing.spans()).toHaveLength(1)
    expect(measurements(await sdk.histogram(DURATION))).toBe(1)
    await ownProvider.get(`${target.origin}/`)
    expect(measurements(await sdk.histogram(DURATION))).toBe(1)
    expect(measurements(await own.histogram(DURATION))).toBe(1)
  })

  it('records a request that fails with spans: false', async () => {
    const spansOff = axios.create({ responseType: 'text' })
    instrumentAxios(spansOff, { spans: false })
    await expect(spansOff.get(`${target.origin}/status/500`)).rejects.toThrow()
    const [point] = await sdk.histogram(DURATION)
    expect(point!.attributes).toMatchObject({ 'http.response.status_code': 500, 'error.type': '500' })
  })
})
