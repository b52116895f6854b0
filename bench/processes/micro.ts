/**
 * The propagator micro-benchmark process, ours against @opentelemetry/core's, in alternating
 * rounds: parsing a traceparent and a tracestate alone, then the whole propagators extracting
 * (parse both, build the context) and injecting (format both).
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
import { serveRequests } from '../lib/ipc'
import { median } from '../lib/stats'

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

type Operation = () => number
const MICRO_OPERATIONS = ['parse traceparent', 'parse tracestate', 'extract', 'inject'] as const
type OperationName = (typeof MICRO_OPERATIONS)[number]

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

function operations(name: 'ours' | 'otel'): Record<OperationName, Operation> {
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

// The results feed this, so the JIT cannot drop the work.
let sink = 0

/** Operations per second of `operation` over about `durationMs`. */
function opsPerSecond(operation: Operation, durationMs: number): number {
  const batch = 1000
  let done = 0
  const started = performance.now()
  const deadline = started + durationMs
  while (performance.now() < deadline) {
    for (let i = 0; i < batch; i++) sink += operation()
    done += batch
  }
  return done / ((performance.now() - started) / 1000)
}

interface MicroRequest {
  reps: number
  roundMs: number
}

function run({ reps, roundMs }: MicroRequest) {
  const ours = operations('ours')
  const otel = operations('otel')
  const result: Record<string, { ours: number; otel: number; ratio: number }> = {}
  for (const name of MICRO_OPERATIONS) {
    opsPerSecond(ours[name], roundMs)
    opsPerSecond(otel[name], roundMs)
    const samples = { ours: [] as number[], otel: [] as number[], ratio: [] as number[] }
    for (let rep = 0; rep < reps; rep++) {
      // Alternate which one goes first, so drift on a noisy machine does not favour either.
      const first = rep % 2 === 0
      const a = first ? opsPerSecond(ours[name], roundMs) : 0
      const b = opsPerSecond(otel[name], roundMs)
      const c = first ? a : opsPerSecond(ours[name], roundMs)
      samples.ours.push(c)
      samples.otel.push(b)
      samples.ratio.push(c / b)
    }
    result[name] = { ours: median(samples.ours), otel: median(samples.otel), ratio: median(samples.ratio) }
  }
  return { ...result, sink: sink % 2 }
}

serveRequests((message) => run(message as unknown as MicroRequest), { ready: true })
