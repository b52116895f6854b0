import { diag, type MeterProvider, metrics } from '@opentelemetry/api'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMetrics, measurements } from '../../../test/support/metrics'
import { compileClientMetrics, compileServerMetrics } from '../src/instrumentation/http-metrics'

const scope = { name: 'test-http', version: '1.2.3' }
const url = new URL('https://api.example.com:8443/users/42?token=x')
const BOUNDARIES = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]

afterEach(() => {
  metrics.disable()
  vi.restoreAllMocks()
})

describe('compileClientMetrics', () => {
  it.each([
    {
      name: 'a GET with its stable attributes',
      method: 'get',
      target: url,
      status: 200,
      attributes: {
        'http.request.method': 'GET',
        'server.address': 'api.example.com',
        'server.port': 8443,
        'url.scheme': 'https',
        'http.response.status_code': 200,
      },
    },
    {
      name: 'an unknown method as _OTHER, with the default port of the scheme',
      method: 'PURGE',
      target: new URL('http://cache.local/x'),
      status: 204,
      attributes: {
        'http.request.method': '_OTHER',
        'server.address': 'cache.local',
        'server.port': 80,
        'url.scheme': 'http',
        'http.response.status_code': 204,
      },
    },
  ])(
    'records http.client.request.duration in seconds with bucket advice: $name',
    async ({ method, target, status, attributes }) => {
      const sdk = createMetrics()
      sdk.register()
      compileClientMetrics({}, scope)
        .start(method, () => target)!
        .end({ status }, undefined)

      const [metric] = await sdk.collect('http.client.request.duration')
      expect(metric!.descriptor.unit).toBe('s')
      const [point, ...rest] = await sdk.histogram('http.client.request.duration')
      expect(rest).toEqual([])
      expect(point!.count).toBe(1)
      expect(point!.boundaries).toEqual(BOUNDARIES)
      expect(point!.attributes).toEqual(attributes)
    },
  )

  it('sets error.type to the status for 4xx and 5xx, and to the failure type when no response came', async () => {
    const sdk = createMetrics()
    sdk.register()
    const client = compileClientMetrics({}, scope)
    const start = () => client.start('GET', () => url)!
    start().end({ status: 404 }, undefined)
    start().end({ status: 503 }, undefined)
    start().end({}, new TypeError('fetch failed'))
    start().end({}, Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))
    const points = await sdk.histogram('http.client.request.duration')
    const byType = Object.fromEntries(points.map((p) => [p.attributes['error.type'], p.attributes]))
    expect(Object.keys(byType).sort()).toEqual(['404', '503', 'ECONNREFUSED', 'TypeError'])
    expect(byType['404']!['http.response.status_code']).toBe(404)
    expect(byType.TypeError!).not.toHaveProperty('http.response.status_code')
  })

  it('records once per request however often end is called', async () => {
    const sdk = createMetrics()
    sdk.register()
    const measurement = compileClientMetrics({}, scope).start('GET', () => url)!
    measurement.end({ status: 200 }, undefined)
    measurement.end({}, new Error('late'))
    expect(measurements(await sdk.histogram('http.client.request.duration'))).toBe(1)
  })

  it('touches no meter with metrics: false', async () => {
    const sdk = createMetrics()
    sdk.register()
    const getMeter = vi.spyOn(sdk.provider, 'getMeter')
    expect(compileClientMetrics({ metrics: false }, scope).start('GET', () => url)).toBeUndefined()
    expect(getMeter).not.toHaveBeenCalled()
    expect(await sdk.histogram('http.client.request.duration')).toEqual([])
  })

  it('records into the meterProvider option, not the global one', async () => {
    const global = createMetrics()
    global.register()
    const own = createMetrics()
    compileClientMetrics({ meterProvider: own.provider }, scope)
      .start('GET', () => url)!
      .end({ status: 200 }, undefined)
    expect(measurements(await own.histogram('http.client.request.duration'))).toBe(1)
    expect(await global.histogram('http.client.request.duration')).toEqual([])
  })

  it('starts nothing while no MeterProvider is registered, and follows one registered later', async () => {
    const client = compileClientMetrics({}, scope)
    expect(client.start('GET', () => url)).toBeUndefined()

    const first = createMetrics()
    first.register()
    client.start('GET', () => url)!.end({ status: 200 }, undefined)
    expect(measurements(await first.histogram('http.client.request.duration'))).toBe(1)

    const second = createMetrics()
    second.register()
    client.start('GET', () => url)!.end({ status: 200 }, undefined)
    expect(measurements(await second.histogram('http.client.request.duration'))).toBe(1)
    expect(measurements(await first.histogram('http.client.request.duration'))).toBe(1)

    metrics.disable()
    expect(client.start('GET', () => url)).toBeUndefined()
  })

  it('asks the global provider for a meter only when the provider changed', () => {
    const sdk = createMetrics()
    sdk.register()
    const getMeter = vi.spyOn(sdk.provider, 'getMeter')
    const client = compileClientMetrics({}, scope)
    for (let i = 0; i < 3; i++) client.start('GET', () => url)!.end({ status: 200 }, undefined)
    expect(getMeter).toHaveBeenCalledTimes(1)
    expect(getMeter).toHaveBeenCalledWith('test-http', '1.2.3')
  })

  it('asks the API for the global provider only when its slot changed, and follows each change', async () => {
    const ask = vi.spyOn(metrics, 'getMeterProvider')
    const client = compileClientMetrics({}, scope)
    const sdk = createMetrics()
    sdk.register()
    for (let i = 0; i < 3; i++) client.start('GET', () => url)!.end({ status: 200 }, undefined)
    expect(ask).toHaveBeenCalledTimes(1)
    expect(measurements(await sdk.histogram('http.client.request.duration'))).toBe(3)

    metrics.disable()
    expect(client.start('GET', () => url)).toBeUndefined()
    const next = createMetrics()
    next.register()
    client.start('GET', () => url)!.end({ status: 200 }, undefined)
    expect(measurements(await next.histogram('http.client.request.duration'))).toBe(1)
  })

  it('records nothing into a provider the API itself refuses (registered by an incompatible API version)', async () => {
    const key = Symbol.for('opentelemetry.js.api.1')
    const globals = globalThis as unknown as Record<symbol, unknown>
    const saved = globals[key]
    const foreign = createMetrics()
    globals[key] = { version: '0.1.0', metrics: foreign.provider }
    try {
      const client = compileClientMetrics({}, scope)
      expect(client.start('GET', () => url)).toBeUndefined()
      expect(client.start('GET', () => url)).toBeUndefined()
      expect(await foreign.histogram('http.client.request.duration')).toEqual([])
    } finally {
      globals[key] = saved
    }
  })

  it('asks the API on every request once its answer is not what the slot holds (another API major)', async () => {
    const first = createMetrics()
    const second = createMetrics()
    // The API answers with providers the slot of @opentelemetry/api 1.x does not hold.
    const ask = vi.spyOn(metrics, 'getMeterProvider').mockReturnValue(first.provider)
    const client = compileClientMetrics({}, scope)
    client.start('GET', () => url)!.end({ status: 200 }, undefined)
    ask.mockReturnValue(second.provider)
    client.start('GET', () => url)!.end({ status: 200 }, undefined)
    expect(measurements(await first.histogram('http.client.request.duration'))).toBe(1)
    expect(measurements(await second.histogram('http.client.request.duration'))).toBe(1)
  })

  it('reports a broken provider through diag and starts nothing', () => {
    const error = vi.spyOn(diag, 'error').mockImplementation(() => {})
    const broken = {
      getMeter: () => {
        throw new Error('boom')
      },
    } as unknown as MeterProvider
    expect(compileClientMetrics({ meterProvider: broken }, scope).start('GET', () => url)).toBeUndefined()
    expect(error).toHaveBeenCalledWith(expect.stringContaining('getting a meter'), expect.any(Error))
  })
})

describe('compileServerMetrics', () => {
  it('counts a request active until it ends, then records its duration with the stable attributes', async () => {
    const sdk = createMetrics()
    sdk.register()
    const measurement = compileServerMetrics({}, scope).start({
      method: 'GET',
      scheme: 'http',
      protocolVersion: '1.1',
    })!
    expect(await sdk.sum('http.server.active_requests')).toEqual([
      { attributes: { 'http.request.method': 'GET', 'url.scheme': 'http' }, value: 1 },
    ])
    expect(await sdk.histogram('http.server.request.duration')).toEqual([])

    measurement.setRoute('/users/:id')
    measurement.end({ status: 200 }, undefined)
    expect(await sdk.sum('http.server.active_requests')).toEqual([
      { attributes: { 'http.request.method': 'GET', 'url.scheme': 'http' }, value: 0 },
    ])
    const [metric] = await sdk.collect('http.server.request.duration')
    expect(metric!.descriptor.unit).toBe('s')
    const [point] = await sdk.histogram('http.server.request.duration')
    expect(point!.boundaries).toEqual(BOUNDARIES)
    expect(point!.count).toBe(1)
    expect(point!.attributes).toEqual({
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'http.response.status_code': 200,
      'http.route': '/users/:id',
      'network.protocol.version': '1.1',
    })
  })

  it('sets error.type for 5xx, failures and early closes, not for 4xx', async () => {
    const sdk = createMetrics()
    sdk.register()
    const server = compileServerMetrics({}, scope)
    const start = () => server.start({ method: 'POST', scheme: 'https' })!
    start().end({ status: 404 }, undefined)
    start().end({ status: 502 }, undefined)
    start().end({ status: 500 }, new RangeError('bad'))
    start().end({ closedEarly: true }, undefined)
    const points = await sdk.histogram('http.server.request.duration')
    expect(
      points.map((p) => [p.attributes['http.response.status_code'], p.attributes['error.type']]),
    ).toEqual([
      [404, undefined],
      [502, '502'],
      [500, 'RangeError'],
      [undefined, 'connection_closed'],
    ])
    expect(points.every((p) => !('http.route' in p.attributes))).toBe(true)
    expect(await sdk.sum('http.server.active_requests')).toEqual([
      { attributes: { 'http.request.method': 'POST', 'url.scheme': 'https' }, value: 0 },
    ])
  })

  it('ends a request once: active requests never go below 0', async () => {
    const sdk = createMetrics()
    sdk.register()
    const measurement = compileServerMetrics({}, scope).start({ method: 'BREW', scheme: 'http' })!
    measurement.end({ closedEarly: true }, undefined)
    measurement.end({ status: 200 }, undefined)
    expect(await sdk.sum('http.server.active_requests')).toEqual([
      { attributes: { 'http.request.method': '_OTHER', 'url.scheme': 'http' }, value: 0 },
    ])
    expect(measurements(await sdk.histogram('http.server.request.duration'))).toBe(1)
  })

  it('follows the global provider and honours metrics: false and meterProvider', async () => {
    const server = compileServerMetrics({}, scope)
    expect(server.start({ method: 'GET', scheme: 'http' })).toBeUndefined()
    const sdk = createMetrics()
    sdk.register()
    server.start({ method: 'GET', scheme: 'http' })!.end({ status: 200 }, undefined)
    expect(compileServerMetrics({ metrics: false }, scope).start({ method: 'GET' })).toBeUndefined()
    const own = createMetrics()
    compileServerMetrics({ meterProvider: own.provider }, scope)
      .start({ method: 'GET' })!
      .end({ status: 200 }, undefined)
    expect(measurements(await sdk.histogram('http.server.request.duration'))).toBe(1)
    expect(measurements(await own.histogram('http.server.request.duration'))).toBe(1)
  })
})
