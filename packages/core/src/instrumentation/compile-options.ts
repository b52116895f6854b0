import {
  type Context,
  diag,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanOptions,
  type TextMapGetter,
  type TextMapPropagator,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api'
import { reportThrown, safely } from './guard'

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
  /**
   * The context `carrier` holds, extracted on its own (from the root context) through the guard:
   * the root context when the propagator throws or breaks its contract (returns no Context).
   */
  extract<C>(carrier: C, getter: TextMapGetter<C>): Context
}

const isContext = (value: unknown): value is Context =>
  typeof (value as Context | undefined)?.getValue === 'function' &&
  typeof (value as Context).setValue === 'function'

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
  const propagator = options.propagator ?? (propagation as unknown as TextMapPropagator)
  // Both per request: guarded inline, no closure per call.
  return {
    propagator,
    startSpan(name, spanOptions, parent) {
      try {
        return tracer.startSpan(name, spanOptions, parent)
      } catch (error) {
        reportThrown('starting the span', error)
        return undefined
      }
    },
    extract(carrier, getter) {
      let extracted: unknown
      try {
        extracted = propagator.extract(ROOT_CONTEXT, carrier, getter)
      } catch (error) {
        reportThrown('extract', error)
        return ROOT_CONTEXT
      }
      if (isContext(extracted)) return extracted
      diag.error(
        `otel-http: the propagator's extract returned ${typeof extracted}, not a Context; the trace restarts`,
      )
      return ROOT_CONTEXT
    },
  }
}
