import {
  type Context,
  type DiagLogger,
  DiagLogLevel,
  diag,
  type Span,
  type SpanOptions,
  type TextMapPropagator,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base'

const fail = (what: string) => () => {
  throw new Error(`injected fault: ${what}`)
}

/** A span processor that throws where `at` says, around a real in-memory exporter. */
function throwingProcessor(at: 'onStart' | 'onEnd'): SpanProcessor {
  return {
    onStart: at === 'onStart' ? fail('onStart') : () => {},
    onEnd: at === 'onEnd' ? fail('onEnd') : () => {},
    forceFlush: async () => {},
    shutdown: async () => {},
  }
}

/** A tracer provider whose spans throw from `setAttribute`, `updateName` and `setStatus`. */
function throwingSpanMethods(): TracerProvider {
  const exporter = new InMemorySpanExporter()
  const real = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  return {
    getTracer(name, version): Tracer {
      const tracer = real.getTracer(name, version)
      const startSpan = (spanName: string, options?: SpanOptions, ctx?: Context): Span => {
        const span = tracer.startSpan(spanName, options, ctx)
        return new Proxy(span, {
          get(target, key, receiver) {
            if (
              key === 'setAttribute' ||
              key === 'updateName' ||
              key === 'setStatus' ||
              key === 'setAttributes'
            ) {
              return fail(String(key))
            }
            const value = Reflect.get(target, key, receiver)
            return typeof value === 'function' ? value.bind(target) : value
          },
        })
      }
      return { startSpan, startActiveSpan: tracer.startActiveSpan.bind(tracer) } as Tracer
    },
  }
}

/** Tracer providers that break on the request path, each named for what breaks. */
export const faultyTracerProviders: ReadonlyArray<{ fault: string; provider: () => TracerProvider }> = [
  {
    fault: 'tracer.startSpan throws',
    provider: () => ({
      getTracer: () => ({ startSpan: fail('startSpan'), startActiveSpan: fail('startActiveSpan') }) as Tracer,
    }),
  },
  {
    fault: 'a span processor onStart throws',
    provider: () => new BasicTracerProvider({ spanProcessors: [throwingProcessor('onStart')] }),
  },
  {
    fault: 'a span processor onEnd throws (span.end throws)',
    provider: () => new BasicTracerProvider({ spanProcessors: [throwingProcessor('onEnd')] }),
  },
  { fault: 'span setAttribute/updateName/setStatus throw', provider: throwingSpanMethods },
]

/** Propagators that break their contract, each named for how. */
export const faultyPropagators: ReadonlyArray<{ fault: string; propagator: () => TextMapPropagator }> = [
  {
    fault: 'extract returns undefined',
    propagator: () => ({
      inject: () => {},
      extract: () => undefined as unknown as Context,
      fields: () => [],
    }),
  },
  {
    fault: 'inject hands the setter a number and an object',
    propagator: () => ({
      inject: (_ctx, carrier, setter) => {
        setter.set(carrier, 'traceparent', 123 as unknown as string)
        setter.set(carrier, 'baggage', { a: 1 } as unknown as string)
      },
      extract: (ctx) => ctx,
      fields: () => ['traceparent', 'baggage'],
    }),
  },
  {
    fault: 'extract and inject throw',
    propagator: () => ({ inject: fail('inject'), extract: fail('extract'), fields: () => [] }),
  },
]

/** Collects what reaches `diag.error` and `diag.warn`; `stop()` restores the previous state. */
export function captureDiagErrors() {
  const errors: unknown[][] = []
  const warnings: unknown[][] = []
  const logger: DiagLogger = {
    error: (...args) => errors.push(args),
    warn: (...args) => warnings.push(args),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  }
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true })
  return { errors, warnings, stop: () => diag.disable() }
}
