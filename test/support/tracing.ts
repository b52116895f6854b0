import { context, propagation, SpanKind, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import { expect } from 'vitest'

/**
 * The real OpenTelemetry SDK, registered globally (AsyncLocalStorage context manager, W3C
 * trace context + baggage propagators) with an in-memory exporter. Call in `beforeAll`; the
 * returned `reset` clears recorded spans between tests.
 */
export function setupTracing() {
  trace.disable()
  context.disable()
  propagation.disable()
  const exporter = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  )
  trace.setGlobalTracerProvider(provider)
  const tracer = provider.getTracer('test')
  return {
    exporter,
    provider,
    tracer,
    spans: (): ReadableSpan[] => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
  }
}

/** Parses a `traceparent` header; throws on a malformed one so tests fail loudly. */
export function traceparentOf(header: string | null | undefined) {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(header ?? '')
  if (!match) throw new Error(`malformed traceparent: ${header}`)
  return { traceId: match[1]!, parentId: match[2]!, flags: match[3]! }
}

/** The parent span id of a finished span (SDK 2.x: `parentSpanContext`). */
export const parentIdOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId

/** The one CLIENT span among `spans` (fails the test when there is not exactly one). */
export function onlyClientSpan(spans: ReadableSpan[]): ReadableSpan {
  const clients = spans.filter((s) => s.kind === SpanKind.CLIENT)
  expect(clients).toHaveLength(1)
  return clients[0]!
}
