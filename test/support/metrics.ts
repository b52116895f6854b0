import { type Attributes, metrics } from '@opentelemetry/api'
import {
  DataPointType,
  type Histogram,
  MeterProvider,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics'
import { afterEach, beforeEach, expect } from 'vitest'
import { setupTracing } from './tracing'

/** A pull reader: the test collects when it wants to look. */
class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

export interface HistogramPoint {
  /** The instrumentation scope that recorded it. */
  scope: string
  attributes: Attributes
  count: number
  sum: number
  boundaries: number[]
}

export interface SumPoint {
  attributes: Attributes
  value: number
}

/**
 * A real SDK MeterProvider (cumulative temporality) with a reader the test collects from.
 * `register()` makes it the global provider, replacing any earlier one.
 */
export function createMetrics() {
  const reader = new CollectingReader()
  const provider = new MeterProvider({ readers: [reader] })

  async function collectScoped(name: string): Promise<{ scope: string; metric: MetricData }[]> {
    const { resourceMetrics, errors } = await reader.collect()
    if (errors.length > 0) throw errors[0]
    return resourceMetrics.scopeMetrics.flatMap((scoped) =>
      scoped.metrics
        .filter((metric) => metric.descriptor.name === name)
        .map((metric) => ({ scope: scoped.scope.name, metric })),
    )
  }
  const collect = async (name: string): Promise<MetricData[]> =>
    (await collectScoped(name)).map(({ metric }) => metric)

  return {
    provider,
    register(): void {
      metrics.disable()
      metrics.setGlobalMeterProvider(provider)
    },
    /** Every instrument named `name`, with its descriptor (unit, scope). */
    collect,
    /** The histogram's data points, one per attribute set. */
    async histogram(name: string): Promise<HistogramPoint[]> {
      return (await collectScoped(name)).flatMap(({ scope, metric }) => {
        if (metric.dataPointType !== DataPointType.HISTOGRAM) throw new Error(`${name} is not a histogram`)
        return metric.dataPoints.map(({ attributes, value }) => {
          const histogram = value as Histogram
          return {
            scope,
            attributes,
            count: histogram.count,
            sum: histogram.sum ?? 0,
            boundaries: histogram.buckets.boundaries,
          }
        })
      })
    },
    /** The sum's data points (counters, up-down counters), one per attribute set. */
    async sum(name: string): Promise<SumPoint[]> {
      return (await collect(name)).flatMap((metric) => {
        if (metric.dataPointType !== DataPointType.SUM) throw new Error(`${name} is not a sum`)
        return metric.dataPoints.map(({ attributes, value }) => ({ attributes, value: value as number }))
      })
    },
    shutdown: () => provider.shutdown(),
  }
}

export type Metrics = ReturnType<typeof createMetrics>

/** The number of measurements a histogram holds across all its attribute sets. */
export const measurements = (points: HistogramPoint[]): number =>
  points.reduce((total, point) => total + point.count, 0)

/**
 * The setup of a metrics test file: the tracing SDK (`setupTracing`, reset before each test), no
 * global MeterProvider while the file loads (so an adapter made at load time must follow the one
 * registered later), and a fresh `createMetrics()` registered before each test and removed after.
 * The returned reads go to the current test's provider.
 *
 * @example
 * const sdk = setupMetrics()
 * it('records', async () => expect(await sdk.histogram('http.client.request.duration')).toHaveLength(1))
 */
export function setupMetrics() {
  const tracing = setupTracing()
  metrics.disable()
  let current: Metrics | undefined
  const sdk = (): Metrics => {
    if (!current) throw new Error('setupMetrics: its provider exists during a test only')
    return current
  }
  beforeEach(() => {
    tracing.reset()
    current = createMetrics()
    current.register()
  })
  afterEach(() => {
    metrics.disable()
    current = undefined
  })
  return {
    tracing,
    /** Makes the current test's provider the global one again (after a `metrics.disable()`). */
    register: () => sdk().register(),
    collect: (name: string) => sdk().collect(name),
    histogram: (name: string) => sdk().histogram(name),
    sum: (name: string) => sdk().sum(name),
  }
}

/**
 * Expects one `http.client.request.duration` point for a plain GET answered 200 by the loopback
 * server on `port`: recorded by `scope`, `count` times, with the stable attributes only (never the URL).
 *
 * @example
 * expectOneLoopbackGetPoint(await sdk.histogram(DURATION), { scope: '@otel-http/fetch', count: 1, port: target.port })
 */
export function expectOneLoopbackGetPoint(
  points: HistogramPoint[],
  { scope, count, port }: { scope: string; count: number; port: number },
): void {
  expect(points).toHaveLength(1)
  expect(points[0]).toMatchObject({ scope, count })
  expect(points[0]!.attributes).toEqual({
    'http.request.method': 'GET',
    'server.address': '127.0.0.1',
    'server.port': port,
    'url.scheme': 'http',
    'http.response.status_code': 200,
  })
}
