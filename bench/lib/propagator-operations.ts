/**
 * The propagator operations the micro-benchmark compares, ours against @opentelemetry/core's:
 * parsing a traceparent and a tracestate alone, then the whole propagators extracting (parse
 * both, build the context) and injecting (format both). Each returns a number, for a sink.
 */
import {
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type TextMapPropagator,
  TraceFlags,
  trace,
} from '@opentelemetry/api'
import { parseTraceParent, TraceState, W3CTraceContextPropagator } from '@opentelemetry/core'
import { parseTraceparent, parseTracestate, traceContextPropagator } from '@otel-http/core'

const incoming = {
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  tracestate: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7,vendor-3=opaque.value_1',
}

const propagators: Record<'ours' | 'otel', TextMapPropagator> = {
  ours: traceContextPropagator(),
  otel: new W3CTraceContextPropagator(),
}

/** What a service injects: a local child of the extracted context, keeping its tracestate. */
function childOf(propagator: TextMapPropagator): Context {
  const parent = trace.getSpanContext(propagator.extract(ROOT_CONTEXT, incoming, defaultTextMapGetter))
  if (!parent?.traceState) throw new Error('extraction failed')
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: parent.traceId,
    spanId: '53995c3f42cd8ad8',
    traceFlags: TraceFlags.SAMPLED,
    traceState: parent.traceState,
  })
}

export type Operation = () => number
export const MICRO_OPERATIONS = ['parse traceparent', 'parse tracestate', 'extract', 'inject'] as const
export type OperationName = (typeof MICRO_OPERATIONS)[number]

const parsers: Record<'ours' | 'otel', Record<'parse traceparent' | 'parse tracestate', Operation>> = {
  ours: {
    'parse traceparent': () => parseTraceparent(incoming.traceparent)!.flags,
    'parse tracestate': () => parseTracestate(incoming.tracestate)!.get('rojo')!.length,
  },
  otel: {
    'parse traceparent': () => parseTraceParent(incoming.traceparent)!.traceFlags,
    'parse tracestate': () => new TraceState(incoming.tracestate).get('rojo')!.length,
  },
}

/**
 * Every operation of one side, built once (the inject's context is extracted first).
 *
 * @example
 * const { extract } = operations('ours')
 * extract()
 */
export function operations(name: 'ours' | 'otel'): Record<OperationName, Operation> {
  const propagator = propagators[name]
  const child = childOf(propagator)
  return {
    ...parsers[name],
    extract: () =>
      trace.getSpanContext(propagator.extract(ROOT_CONTEXT, incoming, defaultTextMapGetter))!.traceFlags,
    inject: () => {
      const carrier: Record<string, string> = {}
      propagator.inject(child, carrier, defaultTextMapSetter)
      return carrier.traceparent!.length
    },
  }
}
