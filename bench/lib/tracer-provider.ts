import type { BufferConfig, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base'
import * as sdkTrace from '@opentelemetry/sdk-trace-base'

/**
 * SDK 3's `@opentelemetry/sdk-trace`, which `--stack=sdk3` loads under sdk-trace-base's name
 * (an npm alias, bench/stacks/sdk3/package.json): `BasicTracerProvider` is `TracerProvider`
 * there, and `BatchSpanProcessor` takes its exporter inside its options. Typed here, as the
 * repository installs only SDK 2's types.
 */
interface Sdk3Trace {
  TracerProvider: new (options: { spanProcessors: SpanProcessor[] }) => sdkTrace.BasicTracerProvider
  BatchSpanProcessor: new (options: BufferConfig & { exporter: SpanExporter }) => SpanProcessor
}

/** A tracer provider batching into `exporter`, on whichever SDK the process loaded. */
export function batchingTracerProvider(
  exporter: SpanExporter,
  batching: BufferConfig,
): sdkTrace.BasicTracerProvider {
  if (!('BasicTracerProvider' in sdkTrace)) {
    const sdk3 = sdkTrace as unknown as Sdk3Trace
    return new sdk3.TracerProvider({
      spanProcessors: [new sdk3.BatchSpanProcessor({ exporter, ...batching })],
    })
  }
  return new sdkTrace.BasicTracerProvider({
    spanProcessors: [new sdkTrace.BatchSpanProcessor(exporter, batching)],
  })
}
