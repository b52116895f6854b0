import {
  type Context,
  propagation,
  type Span,
  type SpanOptions,
  type TextMapPropagator,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api'
import { safely } from './guard'

/**
 * The instrumentation scope every span of an adapter carries: its package name and version.
 *
 * @example
 * const scope: InstrumentationScope = { name: '@my/client', version: '1.0.0' }
 */
export interface InstrumentationScope {
  name: string
  version?: string
}

/** The options every kind of instrumentation (client, server, messaging) starts from. */
export interface CommonOptions {
  /** Default: the global tracer provider. */
  tracerProvider?: TracerProvider
  /** Default: the global propagator (`propagation`). */
  propagator?: TextMapPropagator
}

/** What every instrumentation compiles once, when an adapter is created. */
export interface Compiled {
  readonly propagator: TextMapPropagator
  /** Starts a span through the guard: undefined when the tracer or a span processor throws. */
  startSpan(name: string, options: SpanOptions, parent: Context): Span | undefined
}

/**
 * Compiles the shared part of an adapter's options once. The global propagator and tracer
 * provider are proxies, so an adapter created before the SDK is registered follows it. For a
 * kind of span the other factories do not cover (a Lambda invocation with no trigger context),
 * pair it with `RequestHandle`.
 *
 * @example
 * const { startSpan } = compileOptions(options, { name: '@otel-http/lambda' })
 * // per invocation:
 * const span = startSpan(functionName, { kind: SpanKind.SERVER, root: true }, ROOT_CONTEXT)
 * const handle = new RequestHandle(span, span ? trace.setSpan(ROOT_CONTEXT, span) : ROOT_CONTEXT)
 */
export function compileOptions(options: CommonOptions, scope: InstrumentationScope): Compiled {
  const provider = options.tracerProvider ?? trace
  // The global fallback is looked up only when the provider throws: one `getTracer` per compile.
  const tracer: Tracer =
    safely('getTracer', () => provider.getTracer(scope.name, scope.version), undefined) ??
    trace.getTracer(scope.name, scope.version)
  return {
    propagator: options.propagator ?? (propagation as unknown as TextMapPropagator),
    startSpan: (name, spanOptions, parent) =>
      safely('starting the span', () => tracer.startSpan(name, spanOptions, parent), undefined),
  }
}
