import {
  type Context,
  propagation,
  ROOT_CONTEXT,
  type TextMapGetter,
  type TraceState,
  trace,
} from '@opentelemetry/api'
import { TraceState as OtelTraceState, suppressTracing, W3CTraceContextPropagator } from '@opentelemetry/core'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { type HeaderRecord, recordGetter, recordSetter, traceContextPropagator } from '@otel-http/core'
import { beforeEach, describe, expect, it, vi } from 'vitest'

const TID = '4bf92f3577b34da6a3ce929d0e0e4736'
const SID = '00f067aa0ba902b7'
const propagator = traceContextPropagator()

const extract = (headers: HeaderRecord, getter: TextMapGetter<HeaderRecord> = recordGetter) =>
  propagator.extract(ROOT_CONTEXT, headers, getter)
function inject(ctx: Context, p = propagator): HeaderRecord {
  const out: HeaderRecord = {}
  p.inject(ctx, out, recordSetter)
  return out
}

describe('traceContextPropagator: extract then inject unchanged (pass-through)', () => {
  it.each<[string, HeaderRecord, HeaderRecord]>([
    ['sampled', { traceparent: `00-${TID}-${SID}-01` }, { traceparent: `00-${TID}-${SID}-01` }],
    ['random-trace-id kept', { traceparent: `00-${TID}-${SID}-03` }, { traceparent: `00-${TID}-${SID}-03` }],
    [
      'unknown flags sent as 0',
      { traceparent: `00-${TID}-${SID}-ff` },
      { traceparent: `00-${TID}-${SID}-03` },
    ],
    [
      'header name in any case',
      { TrAcEpArEnT: `00-${TID}-${SID}-01` },
      { traceparent: `00-${TID}-${SID}-01` },
    ],
    [
      'future version downgraded to 00',
      { traceparent: `cc-${TID}-${SID}-01-extra` },
      { traceparent: `00-${TID}-${SID}-01` },
    ],
    [
      'tracestate normalised',
      { traceparent: `00-${TID}-${SID}-00`, tracestate: ' foo=1 ,, bar=2 ' },
      { traceparent: `00-${TID}-${SID}-00`, tracestate: 'foo=1,bar=2' },
    ],
    [
      'repeated tracestate headers combined in order',
      { traceparent: `00-${TID}-${SID}-00`, tracestate: ['foo=1,bar=2', 'rojo=1,congo=2', '', 'baz=3'] },
      { traceparent: `00-${TID}-${SID}-00`, tracestate: 'foo=1,bar=2,rojo=1,congo=2,baz=3' },
    ],
    [
      'invalid tracestate dropped whole',
      { traceparent: `00-${TID}-${SID}-00`, tracestate: 'foo=1,BAR=2' },
      { traceparent: `00-${TID}-${SID}-00` },
    ],
    [
      'tracestate whose members repeat across headers sent with the first',
      { traceparent: `00-${TID}-${SID}-00`, tracestate: ['foo=1', 'foo=2'] },
      { traceparent: `00-${TID}-${SID}-00`, tracestate: 'foo=1' },
    ],
    [
      'tracestate with a repeated key sent with the first',
      { traceparent: `00-${TID}-${SID}-00`, tracestate: 'foo=1,bar=2,foo=1' },
      { traceparent: `00-${TID}-${SID}-00`, tracestate: 'foo=1,bar=2' },
    ],
    [
      'empty tracestate not sent',
      { traceparent: `00-${TID}-${SID}-00`, tracestate: '' },
      { traceparent: `00-${TID}-${SID}-00` },
    ],
  ])('%s', (_name, headers, expected) => {
    expect(inject(extract(headers))).toEqual(expected)
  })
})

describe('traceContextPropagator: inputs that restart the trace (no context, tracestate dropped)', () => {
  it.each<[string, HeaderRecord]>([
    ['no traceparent, tracestate only', { tracestate: 'foo=1' }],
    ['wrong header name', { 'trace-parent': `00-${TID}-${SID}-01` }],
    [
      'repeated traceparent (array)',
      { traceparent: [`00-${TID}-${SID}-01`, `00-${TID}-${SID}-01`], tracestate: 'a=1' },
    ],
    [
      'repeated traceparent (two case variants)',
      { traceparent: `00-${TID}-${SID}-01`, TRACEPARENT: `00-${TID}-${SID}-01` },
    ],
    ['repeated traceparent (joined)', { traceparent: `00-${TID}-${SID}-01, 00-${TID}-${SID}-02` }],
    ['version ff', { traceparent: `ff-${TID}-${SID}-01`, tracestate: 'a=1' }],
    ['all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-${SID}-01`, tracestate: 'a=1' }],
    ['all-zero parent id', { traceparent: `00-${TID}-${'0'.repeat(16)}-01`, tracestate: 'a=1' }],
    ['bad length', { traceparent: `00-${TID}-${SID}-001`, tracestate: 'a=1' }],
    ['upper-case hex', { traceparent: `00-${TID.toUpperCase()}-${SID}-01`, tracestate: 'a=1' }],
  ])('%s', (_name, headers) => {
    const ctx = extract(headers)
    expect(trace.getSpanContext(ctx)).toBeUndefined()
    expect(inject(ctx)).toEqual({})
  })

  it('gives no tracestate member of a header that is invalid as a whole to samplers or users', () => {
    const ctx = extract({ traceparent: `00-${TID}-${SID}-01`, tracestate: 'foo=1,BAR=2' })
    expect(trace.getSpanContext(ctx)?.traceState?.get('foo')).toBeUndefined()
    expect(trace.getSpanContext(ctx)?.traceState?.serialize()).toBe('')
  })

  it('treats a getter returning an array of two as a repeated traceparent, and of one as a single header', () => {
    const arrayGetter = (values: string[]): TextMapGetter<HeaderRecord> => ({
      keys: () => ['traceparent'],
      get: (_carrier, key) => (key === 'traceparent' ? values : undefined),
    })
    const tp = `00-${TID}-${SID}-01`
    expect(trace.getSpanContext(extract({}, arrayGetter([tp, tp])))).toBeUndefined()
    expect(trace.getSpanContext(extract({}, arrayGetter([tp])))?.traceId).toBe(TID)
  })

  it('departs from @opentelemetry/core, which takes the first of two traceparent headers', () => {
    const headers = { traceparent: [`00-${TID}-${SID}-01`, `00-${TID.replace('4', '5')}-${SID}-01`] }
    const getter: TextMapGetter<HeaderRecord> = { keys: Object.keys, get: (c, k) => c[k] as string[] }
    const otel = new W3CTraceContextPropagator().extract(ROOT_CONTEXT, headers, getter)
    expect(trace.getSpanContext(otel)?.traceId).toBe(TID)
    expect(trace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, getter))).toBeUndefined()
  })
})

describe('traceContextPropagator: round trips with the real SDK (extract, start child, inject)', () => {
  const exporter = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  const tracer = provider.getTracer('w3c-test')
  beforeEach(() => exporter.reset())

  function child(parent: Context): Context {
    return trace.setSpan(parent, tracer.startSpan('child', {}, parent))
  }

  it.each([
    ['03', '03'],
    ['01', '01'],
    ['02', '02'],
    ['00', '00'],
  ])(
    'incoming flags %s: a child and a grandchild send %s, same trace, new parent id',
    (incoming, outgoing) => {
      const remote = extract({ traceparent: `00-${TID}-${SID}-${incoming}`, tracestate: 'congo=t61rcWkgMzE' })
      const first = child(remote)
      const second = child(first)
      for (const ctx of [first, second]) {
        const spanId = trace.getSpanContext(ctx)!.spanId
        expect(inject(ctx)).toEqual({
          traceparent: `00-${TID}-${spanId}-${outgoing}`,
          tracestate: 'congo=t61rcWkgMzE',
        })
        expect(spanId).not.toBe(SID)
      }
    },
  )

  it('departs from @opentelemetry/core, which loses the random-trace-id flag one span down', () => {
    const remote = extract({ traceparent: `00-${TID}-${SID}-03` })
    const ctx = child(remote)
    expect(inject(ctx).traceparent).toMatch(/-03$/)
    expect(inject(ctx, new W3CTraceContextPropagator()).traceparent).toMatch(/-01$/)
  })

  it('sets random-trace-id on a trace this process starts', () => {
    const headers = inject(child(ROOT_CONTEXT))
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-03$/)
    expect(headers.tracestate).toBeUndefined()
  })

  it('sets it on a new root started inside an extracted context (a restarted trace)', () => {
    const remote = extract({ traceparent: `00-${TID}-${SID}-01` })
    const root = tracer.startSpan('root', { root: true }, remote)
    const headers = inject(trace.setSpan(remote, root))
    expect(headers.traceparent).toBe(`00-${root.spanContext().traceId}-${root.spanContext().spanId}-03`)
    expect(root.spanContext().traceId).not.toBe(TID)
  })

  it('does not claim random ids with randomTraceIds: false', () => {
    const headers = inject(child(ROOT_CONTEXT), traceContextPropagator({ randomTraceIds: false }))
    expect(headers.traceparent).toMatch(/-01$/)
  })

  it('does not claim random ids for a remote parent another propagator extracted', () => {
    const ctx = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TID,
      spanId: SID,
      traceFlags: 1,
      isRemote: true,
    })
    expect(inject(ctx).traceparent).toBe(`00-${TID}-${SID}-01`)
  })

  it('sends a tracestate a sampler or user changed, re-validated, serialised once per object', () => {
    const counting = new OtelTraceState('rojo=1').set('congo', '2')
    const serialize = vi.spyOn(counting, 'serialize')
    const ctx = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TID,
      spanId: SID,
      traceFlags: 1,
      traceState: counting,
    })
    expect(inject(ctx).tracestate).toBe('congo=2,rojo=1')
    expect(inject(ctx).tracestate).toBe('congo=2,rojo=1')
    expect(serialize).toHaveBeenCalledTimes(1)

    const invalid = { serialize: () => 'ok=1,NOT_OK=2' } as TraceState
    const bad = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TID,
      spanId: SID,
      traceFlags: 1,
      isRemote: true,
      traceState: invalid,
    })
    expect(inject(bad)).toEqual({ traceparent: `00-${TID}-${SID}-01` })
  })

  it('injects nothing when tracing is suppressed or the span context is invalid', () => {
    const ctx = child(extract({ traceparent: `00-${TID}-${SID}-01` }))
    expect(inject(suppressTracing(ctx))).toEqual({})
    const upper = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TID.toUpperCase(),
      spanId: SID,
      traceFlags: 1,
    })
    expect(inject(upper)).toEqual({})
  })

  it('works as the global propagator', () => {
    propagation.setGlobalPropagator(propagator)
    try {
      const out: HeaderRecord = {}
      const ctx = propagation.extract(ROOT_CONTEXT, { traceparent: `00-${TID}-${SID}-03` }, recordGetter)
      propagation.inject(child(ctx), out, recordSetter)
      expect(out.traceparent).toMatch(new RegExp(`^00-${TID}-[0-9a-f]{16}-03$`))
      expect(propagation.fields()).toEqual(['traceparent', 'tracestate'])
    } finally {
      propagation.disable()
    }
  })
})
