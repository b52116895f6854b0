/**
 * The calls the metrics benchmarks measure (metrics-cost.ts times them, instruction-count.ts
 * counts them): tracedFetch, tracingInterceptor, instrumentAxios and traceFetchHandler with the
 * transport answered at once, built for one provider × variant, so what differs between variants
 * is the HTTP metrics alone:
 *
 * - provider `none`: no MeterProvider registered (the API's no-op meter), `sdk`: an SDK
 *   MeterProvider with a reader collected between rounds, as a periodic exporter would;
 * - variant `off`: the adapters with `metrics: false`, `on`: the default, `by-hand`: `metrics:
 *   false` plus the same measurement written as plainly as the API allows (clock reads, the
 *   attributes, `histogram.record`; `UpDownCounter.add` twice for the server).
 *
 * tracedFetch and tracingInterceptor run with `spans: false`, so the span's cost does not bury the
 * metrics' in noise. instrumentAxios runs both ways: with `spans: false`, metrics are what keeps
 * its response interceptor (and the promise step axios adds for it) on the instance.
 */
import { type Attributes, type Histogram, metrics, type UpDownCounter } from '@opentelemetry/api'
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics'
import { instrumentAxios } from '@otel-http/axios'
import { tracedFetch } from '@otel-http/fetch'
import { traceFetchHandler } from '@otel-http/server'
import { tracingInterceptor } from '@otel-http/undici'
import type { MetricsProvider, MetricsTarget, MetricsVariant } from './metrics-benchmark'
import { answeringDispatch, answeringFetch, NO_IO_URL, noIoAxios, noIoDispatchOptions } from './no-io'

type Call = () => unknown

const URL_TEXT = NO_IO_URL
const BOUNDARIES = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]

class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** Each target's call for `provider` × `variant`, and how many durations the SDK has recorded so far. */
export interface MetricsCalls {
  calls: Record<MetricsTarget, Call>
  /** Durations recorded since the process started (0 without an SDK MeterProvider). */
  recorded(): Promise<number>
}

/**
 * Registers the provider (for `sdk`) and builds every target's call; once per process.
 *
 * @example
 * const { calls, recorded } = metricsCalls('sdk', 'on')
 * await calls.fetch()
 */
export function metricsCalls(provider: MetricsProvider, variant: MetricsVariant): MetricsCalls {
  const reader = new CollectingReader()
  if (provider === 'sdk') metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))
  const options = { spans: false, metrics: variant === 'on' }

  // The by-hand reference: the instruments made once, the measurement per call.
  const meter = metrics.getMeter('bench-by-hand')
  const advice = { explicitBucketBoundaries: BOUNDARIES }
  const clientDuration: Histogram = meter.createHistogram('http.client.request.duration', {
    unit: 's',
    advice,
  })
  const serverDuration: Histogram = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    advice,
  })
  const active: UpDownCounter = meter.createUpDownCounter('http.server.active_requests')

  function recordClient(started: number, method: string, status: number): void {
    const url = new URL(URL_TEXT)
    clientDuration.record((performance.now() - started) / 1000, {
      'http.request.method': method,
      'server.address': url.hostname,
      'server.port': Number(url.port),
      'url.scheme': url.protocol.slice(0, -1),
      'http.response.status_code': status,
    })
  }

  /** Wraps a call returning a promise with the by-hand client measurement, when asked. */
  function byHand<R extends { status?: number; statusCode?: number }>(
    call: () => Promise<R>,
  ): () => Promise<R> {
    if (variant !== 'by-hand') return call
    return () => {
      const started = performance.now()
      return call().then((result) => {
        recordClient(started, 'GET', result.status ?? result.statusCode ?? 0)
        return result
      })
    }
  }

  function fetchCall(): Call {
    const fetch = tracedFetch(answeringFetch(), options)
    return byHand(() => fetch(URL_TEXT, { method: 'GET' }))
  }

  function undiciCall(): Call {
    const answer = answeringDispatch()
    const dispatch = tracingInterceptor(options)(answer)
    const opts = noIoDispatchOptions()
    // The by-hand measurement ends where the adapter's does: when the response has ended.
    return () => {
      const started = performance.now()
      let status = 0
      return dispatch(opts, {
        onRequestStart() {},
        onResponseStart: (_controller, statusCode) => {
          status = statusCode
        },
        onResponseData() {},
        onResponseEnd: () => {
          if (variant === 'by-hand') recordClient(started, 'GET', status)
        },
        onResponseError() {},
      })
    }
  }

  function axiosCall(spans: boolean): Call {
    const instance = noIoAxios()
    instrumentAxios(instance, { ...options, spans })
    return byHand(() => instance.get(URL_TEXT))
  }

  function serverCall(): Call {
    const request = new Request(URL_TEXT)
    const handler = traceFetchHandler(() => new Response(null, { status: 200 }), {
      metrics: variant === 'on',
    })
    if (variant !== 'by-hand') return () => handler(request)
    return async () => {
      const common: Attributes = { 'http.request.method': 'GET', 'url.scheme': 'http' }
      active.add(1, common)
      const started = performance.now()
      const response = await handler(request)
      active.add(-1, common)
      serverDuration.record((performance.now() - started) / 1000, {
        ...common,
        'http.response.status_code': response.status,
      })
      return response
    }
  }

  const calls: Record<MetricsTarget, Call> = {
    fetch: fetchCall(),
    undici: undiciCall(),
    axios: axiosCall(true),
    'axios-spans-off': axiosCall(false),
    server: serverCall(),
  }

  // Every call of a recording variant must have recorded exactly one duration, or it measured less.
  async function recorded(): Promise<number> {
    const { resourceMetrics } = await reader.collect()
    let total = 0
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        if (!metric.descriptor.name.endsWith('.request.duration')) continue
        for (const point of metric.dataPoints) total += (point.value as { count: number }).count
      }
    }
    return total
  }

  return { calls, recorded }
}
