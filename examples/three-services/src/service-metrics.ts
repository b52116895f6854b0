import { type ExportResult, ExportResultCode } from '@opentelemetry/core'
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { DataPointType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics'
import { type HistogramValue, percentile } from './histogram-percentile'

/** A pull reader: the demo collects once, after the last request ended. */
class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** Count and percentiles (seconds) of one duration histogram, over all its attribute sets. */
export interface RequestStats {
  count: number
  p50?: number
  p99?: number
}

/** What one service's MeterProvider recorded: requests served and requests made. */
export interface ServiceRequestStats {
  service: string
  server: RequestStats
  client: RequestStats
}

// Every attribute set of a histogram merged into one: the per-service line counts all requests.
function merged(points: HistogramValue[]): HistogramValue | undefined {
  const [first, ...rest] = points
  if (!first) return undefined
  const total: HistogramValue = {
    count: first.count,
    min: first.min,
    max: first.max,
    buckets: { boundaries: first.buckets.boundaries, counts: [...first.buckets.counts] },
  }
  for (const point of rest) {
    total.count += point.count
    total.min = Math.min(total.min ?? Infinity, point.min ?? Infinity)
    total.max = Math.max(total.max ?? -Infinity, point.max ?? -Infinity)
    point.buckets.counts.forEach((n, i) => {
      total.buckets.counts[i] = (total.buckets.counts[i] ?? 0) + n
    })
  }
  return total
}

function statsOf(histogram: HistogramValue | undefined): RequestStats {
  if (!histogram) return { count: 0 }
  return { count: histogram.count, p50: percentile(histogram, 0.5), p99: percentile(histogram, 0.99) }
}

/**
 * One MeterProvider per service, beside its TracerProvider: the adapters record the HTTP
 * metrics into it (`meterProvider` option), the demo reads them back for the summary and, when
 * asked, exports them once at shutdown over OTLP/HTTP to the same endpoint as the spans (the exporter reads
 * `OTEL_EXPORTER_OTLP_*` itself; `OTEL_METRICS_EXPORTER=none` keeps metrics local, for a
 * backend that takes traces only, such as Jaeger).
 *
 * @example
 * const meters = new ServiceMeters('service-a', { otlp: false })
 * app.use(expressTracing({ tracerProvider, meterProvider: meters.provider }))
 * console.log(await meters.requestStats())
 */
export class ServiceMeters {
  readonly provider: MeterProvider
  private readonly reader = new CollectingReader()
  // The demo is one short run: one export at the end, whose outcome it can report in one line.
  private readonly exporter: OTLPMetricExporter | undefined

  constructor(
    readonly service: string,
    { otlp }: { otlp: boolean },
  ) {
    if (otlp && process.env.OTEL_METRICS_EXPORTER !== 'none') this.exporter = new OTLPMetricExporter()
    this.provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      readers: [this.reader],
    })
  }

  /** Requests served and made so far, from the duration histograms. */
  async requestStats(): Promise<ServiceRequestStats> {
    const { resourceMetrics } = await this.reader.collect()
    const points = (name: string): HistogramValue[] =>
      resourceMetrics.scopeMetrics.flatMap((scope) =>
        scope.metrics.flatMap((metric) =>
          metric.descriptor.name === name && metric.dataPointType === DataPointType.HISTOGRAM
            ? metric.dataPoints.map((point) => point.value)
            : [],
        ),
      )
    return {
      service: this.service,
      server: statsOf(merged(points('http.server.request.duration'))),
      client: statsOf(merged(points('http.client.request.duration'))),
    }
  }

  /** Exports what was recorded, when exporting, and stops. Resolves to why the export failed, if it did. */
  async shutdown(): Promise<string | undefined> {
    const { exporter } = this
    let failure: string | undefined
    if (exporter) {
      const { resourceMetrics } = await this.reader.collect()
      const result = await new Promise<ExportResult>((resolve) => exporter.export(resourceMetrics, resolve))
      if (result.code !== ExportResultCode.SUCCESS) failure = result.error?.message ?? 'export failed'
      await exporter.shutdown()
    }
    await this.provider.shutdown()
    return failure
  }
}
