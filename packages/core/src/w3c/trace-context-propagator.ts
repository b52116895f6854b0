import {
  type Context,
  createContextKey,
  type SpanContext,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  type TraceState,
  trace,
} from '@opentelemetry/api'
import { layerValue } from '../instrumentation/layered-context'
import { isTracingSuppressed } from '../policy/suppress-tracing'
import { formatTraceparent, isValidId, parseTraceparent, RANDOM_TRACE_ID_FLAG } from './traceparent'
import { parseTracestate, W3CTraceState } from './tracestate'

const TRACEPARENT = 'traceparent'
const TRACESTATE = 'tracestate'

// The SDK keeps only the sampled bit when it starts a child span, so the incoming random-trace-id
// flag would be lost one span down. Extract also records the extracted span context (its trace id
// and flags) under this key; every context derived from the extracted one inherits it.
const INCOMING_TRACE = createContextKey('@otel-http/core incoming trace')

export interface TraceContextPropagatorOptions {
  /**
   * Whether trace ids this process generates are random, so a trace it starts is sent with the
   * Level 2 `random-trace-id` flag. Default `true`: the OpenTelemetry SDK's id generator is random.
   * Set `false` if you installed an `IdGenerator` that is not.
   */
  randomTraceIds?: boolean
}

// TraceState objects are immutable: serialise each once (the SDK's own, or a sampler's).
const serialized = new WeakMap<TraceState, string>()
function serializeTraceState(state: TraceState): string {
  if (state instanceof W3CTraceState) return state.serialize()
  let text = serialized.get(state)
  if (text === undefined) {
    // Another implementation may have trimmed differently: hold it to the same rules as a header.
    text = parseTracestate(state.serialize())?.serialize() ?? ''
    serialized.set(state, text)
  }
  return text
}

function single(value: string | string[] | undefined): string | undefined {
  if (typeof value === 'string') return value
  // One header may arrive as a one-element array; two or more mean a repeated traceparent.
  return Array.isArray(value) && value.length === 1 && typeof value[0] === 'string' ? value[0] : undefined
}

/**
 * A `TextMapPropagator` for W3C Trace Context (`traceparent`, `tracestate`) that follows the current
 * specification (Level 2) exactly, as a drop-in replacement for @opentelemetry/core's
 * `W3CTraceContextPropagator`. Where they differ:
 * - the `random-trace-id` flag (0x02) is kept on every outgoing traceparent that continues an
 *   incoming trace carrying it, and set on traces this process starts; other unknown flags are 0;
 * - `tracestate` is validated as a whole (keys of the current grammar, values, at most 32 members):
 *   an invalid header is dropped entirely, never trimmed; a repeated key keeps its left-most member;
 * - a repeated `traceparent` (an array, or values joined with a comma) restarts the trace;
 * - future versions are parsed by the spec's forward-compatibility rules.
 *
 * @example
 * ```ts
 * import { propagation } from '@opentelemetry/api'
 * import { traceContextPropagator } from '@otel-http/core'
 *
 * propagation.setGlobalPropagator(traceContextPropagator())
 * ```
 */
export function traceContextPropagator({
  randomTraceIds = true,
}: TraceContextPropagatorOptions = {}): TextMapPropagator {
  return {
    inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
      const spanContext = trace.getSpanContext(context)
      if (!spanContext || isTracingSuppressed(context)) return
      const { traceId, spanId, traceState } = spanContext
      if (!isValidId(traceId, 32) || !isValidId(spanId, 16)) return

      let flags = spanContext.traceFlags & 0x01
      if (spanContext.traceFlags & RANDOM_TRACE_ID_FLAG) flags |= RANDOM_TRACE_ID_FLAG
      else {
        const incoming = context.getValue(INCOMING_TRACE) as SpanContext | undefined
        if (incoming?.traceId === traceId) {
          if (incoming.traceFlags & RANDOM_TRACE_ID_FLAG) flags |= RANDOM_TRACE_ID_FLAG
        } else if (randomTraceIds && !spanContext.isRemote) {
          // A local span in a trace this propagator did not extract: the trace started here.
          flags |= RANDOM_TRACE_ID_FLAG
        }
      }
      setter.set(carrier, TRACEPARENT, formatTraceparent(traceId, spanId, flags))
      if (traceState) {
        const text = serializeTraceState(traceState)
        if (text) setter.set(carrier, TRACESTATE, text)
      }
    },

    extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
      const header = single(getter.get(carrier, TRACEPARENT))
      if (header === undefined) return context
      const parsed = parseTraceparent(header)
      if (!parsed) return context

      const { traceId, spanId, flags } = parsed
      const stateHeader = getter.get(carrier, TRACESTATE)
      const stateText = Array.isArray(stateHeader) ? stateHeader.join(',') : stateHeader
      // Validated on first use: many requests never send a tracestate on (or read one).
      const traceState =
        typeof stateText === 'string' && stateText !== '' ? W3CTraceState.fromHeader(stateText) : undefined
      const incoming: SpanContext = { traceId, spanId, traceFlags: flags, isRemote: true, traceState }
      // Two entries set in a row: layered, so no context map is copied for the first.
      return trace.setSpanContext(layerValue(context, INCOMING_TRACE, incoming), incoming)
    },

    fields: () => [TRACEPARENT, TRACESTATE],
  }
}
