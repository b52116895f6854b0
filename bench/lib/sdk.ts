import { type Context, context, propagation, type TextMapPropagator, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import {
  CompositePropagator,
  type ExportResult,
  ExportResultCode,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core'
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base'
import { w3cPropagator } from '@otel-http/core'
import { batchingTracerProvider } from './tracer-provider'

/** Which global propagator the benchmark registers. */
export type PropagatorChoice = 'otel' | 'otel-http'

/** Drops spans after counting them: the SDK's export path runs, no I/O does. */
class CountingExporter implements SpanExporter {
  count = 0
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.count += spans.length
    done({ code: ExportResultCode.SUCCESS })
  }
  shutdown(): Promise<void> {
    return Promise.resolve()
  }
}

function createPropagator(choice: PropagatorChoice): TextMapPropagator {
  if (choice === 'otel-http') return w3cPropagator()
  return new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  })
}

/**
 * The SDK every benchmark process registers, whatever it measures, so variants differ only in
 * what they add per request: a global BasicTracerProvider (SDK 3: TracerProvider) with a
 * BatchSpanProcessor in front of a counting exporter, the AsyncLocalStorage context manager and
 * W3C propagators, from the stack the process loads (lib/stack.ts).
 */
export function setupSdk(choice: PropagatorChoice, { exportOnlyFullBatches = false } = {}) {
  const exporter = new CountingExporter()
  // Counting instructions: a batch leaves when full, never on a wall-clock timer (valgrind's
  // clock is slow), so two runs export at the same calls.
  const batching = exportOnlyFullBatches ? { scheduledDelayMillis: 2 ** 30 } : {}
  const provider = batchingTracerProvider(exporter, batching)
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  propagation.setGlobalPropagator(createPropagator(choice))
  trace.setGlobalTracerProvider(provider)

  /** Spans that reached the exporter since the last call (flushes first). */
  async function exportedSpans(): Promise<number> {
    await provider.forceFlush()
    const count = exporter.count
    exporter.count = 0
    return count
  }
  return { provider, exportedSpans }
}

/**
 * The context requests are made in, as in real traffic: a sampled span and three baggage
 * entries (none secret-looking, so the outbound guard keeps them all).
 */
export function requestContext(): Context {
  const parent = trace.getTracer('bench').startSpan('parent')
  const baggage = propagation.createBaggage({
    'user.id': { value: '4242' },
    'tenant.id': { value: 'acme' },
    'feature.flag': { value: 'checkout-v2' },
  })
  return propagation.setBaggage(trace.setSpan(context.active(), parent), baggage)
}

/** The headers {@link requestContext} injects, computed once: the "constant headers" floor. */
export function constantHeaders(ctx: Context): Record<string, string> {
  const headers: Record<string, string> = {}
  propagation.inject(ctx, headers)
  return headers
}
