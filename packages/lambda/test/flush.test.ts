import { DiagLogLevel, diag, metrics, trace } from '@opentelemetry/api'
import type { ExportResult } from '@opentelemetry/core'
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics'
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base'
import { traceLambdaHandler } from '@otel-http/lambda'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { setupTracing } from '../../../test/support/tracing'
import { lambdaContext, loadEvent } from './lambda-fixtures'

// A batch processor that would hold spans for an hour unless flushed: spans in the exporter
// right after the handler returns can only have got there through forceFlush.
const HOLD = { scheduledDelayMillis: 3_600_000, maxExportBatchSize: 512, maxQueueSize: 2048 }

/** An exporter whose export never completes, like one stuck on an unreachable collector. */
class HungExporter implements SpanExporter {
  exported = 0
  export(spans: ReadableSpan[], _done: (result: ExportResult) => void): void {
    this.exported += spans.length
  }
  shutdown = async () => {}
}

const warnings: string[] = []
beforeAll(() => {
  setupTracing()
  diag.setLogger(
    {
      error: () => {},
      warn: (message) => warnings.push(message),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  )
})
afterEach(() => {
  warnings.length = 0
})

describe('flushing before the result is returned', () => {
  it('flushes the provider given in the options', async () => {
    const exporter = new InMemorySpanExporter()
    const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, HOLD)] })
    const handler = traceLambdaHandler(async () => ({ statusCode: 200 }), { tracerProvider: provider })
    await handler(loadEvent('api-gateway-v2'), lambdaContext())
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['POST /orders/{orderId}/items'])
    await provider.shutdown()
  })

  it('flushes the global SDK provider behind the API proxy, also when the handler throws', async () => {
    const exporter = new InMemorySpanExporter()
    const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, HOLD)] })
    trace.disable()
    trace.setGlobalTracerProvider(provider)
    const handler = traceLambdaHandler(async () => {
      throw new Error('boom')
    })
    await expect(handler(loadEvent('sqs'), lambdaContext())).rejects.toThrow('boom')
    expect(exporter.getFinishedSpans()).toHaveLength(3)
    await provider.shutdown()
  })

  it('returns the result when the exporter hangs, after at most flushTimeoutMs, and says so', async () => {
    const exporter = new HungExporter()
    const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, HOLD)] })
    const handler = traceLambdaHandler(async () => ({ statusCode: 200, body: 'done' }), {
      tracerProvider: provider,
      flushTimeoutMs: 50,
    })
    // Without the bound this would wait for the processor's 30 s export timeout, past the test's.
    await expect(handler(loadEvent('api-gateway-v1'), lambdaContext())).resolves.toEqual({
      statusCode: 200,
      body: 'done',
    })
    expect(exporter.exported).toBe(1)
    expect(warnings.some((w) => w.includes('flushing spans took longer than 50 ms'))).toBe(true)
  })

  it('never waits past the invocation deadline', async () => {
    const exporter = new HungExporter()
    const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, HOLD)] })
    const nearlyOutOfTime = { ...lambdaContext(), getRemainingTimeInMillis: () => 150 }
    const handler = traceLambdaHandler(async () => 'ok', {
      tracerProvider: provider,
      flushTimeoutMs: 600_000,
    })
    await expect(handler({ source: 'aws.events' }, nearlyOutOfTime)).resolves.toBe('ok')
    expect(warnings.some((w) => w.includes('longer than'))).toBe(true)
  })

  it('flushes the global meter provider too: the HTTP metrics are exported before the result returns', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
    // A reader that would export once an hour unless flushed.
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })
    const meterProvider = new MeterProvider({ readers: [reader] })
    metrics.disable()
    metrics.setGlobalMeterProvider(meterProvider)
    try {
      const handler = traceLambdaHandler(async () => ({ statusCode: 200 }))
      await handler(loadEvent('api-gateway-v2'), lambdaContext())
      const names = exporter
        .getMetrics()
        .flatMap((batch) =>
          batch.scopeMetrics.flatMap((scope) => scope.metrics.map((m) => m.descriptor.name)),
        )
      expect(names).toContain('http.server.request.duration')
    } finally {
      metrics.disable()
      await meterProvider.shutdown()
    }
  })
})
