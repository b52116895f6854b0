import {
  type Context,
  context,
  createContextKey,
  defaultTextMapGetter,
  propagation,
  ROOT_CONTEXT,
  trace,
} from '@opentelemetry/api'
import { afterEach, describe, expect, it } from 'vitest'
import { setupTracing } from '../../../test/support/tracing'
import { layerValue } from '../src/instrumentation/layered-context'
import { w3cPropagator } from '../src/w3c/w3c-propagator'

const otel = setupTracing()
afterEach(() => otel.reset())

const KEYS = Array.from({ length: 6 }, (_, i) => createContextKey(`layered-context test ${i}`))
const VALUES = ['a', 0, null, undefined, { object: true }, 'z']

// A deterministic pseudo-random sequence (xorshift), so a failing sequence can be replayed.
function random(seed: number): () => number {
  let state = seed
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 2 ** 32
  }
}

function expectSameValues(layered: Context, reference: Context): void {
  for (const key of KEYS) expect(layered.getValue(key)).toBe(reference.getValue(key))
}

describe('layerValue', () => {
  it('reads, sets and deletes exactly as the API context does, over any number of operations', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed)
      const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
      // The base may already hold values, as an extracted context does.
      let reference = ROOT_CONTEXT.setValue(KEYS[0]!, 'base').setValue(KEYS[5]!, 'base 5')
      const [key, value] = [pick(KEYS), pick(VALUES)]
      let layered = layerValue(reference, key, value)
      reference = reference.setValue(key, value)
      // Every context reached so far, to check that later operations leave each unchanged.
      const history: [Context, Context][] = [[layered, reference]]
      for (let step = 0; step < 60; step++) {
        const op = next()
        const k = pick(KEYS)
        if (op < 0.15 && history.length > 1) {
          // Branch from an earlier context: contexts are immutable values.
          ;[layered, reference] = pick(history)
        } else if (op < 0.35) {
          layered = layered.deleteValue(k)
          reference = reference.deleteValue(k)
        } else {
          const v = pick(VALUES)
          layered = layered.setValue(k, v)
          reference = reference.setValue(k, v)
        }
        expectSameValues(layered, reference)
        history.push([layered, reference])
      }
      for (const [l, r] of history) expectSameValues(l, r)
    }
  })

  it('layers over a layered context without nesting the first layer again', () => {
    const [a, b, c] = KEYS as [symbol, symbol, symbol]
    const once = layerValue(ROOT_CONTEXT, a, 1)
    const twice = layerValue(once, b, 2)
    const thrice = layerValue(twice, c, 3)
    expect([thrice.getValue(a), thrice.getValue(b), thrice.getValue(c)]).toEqual([1, 2, 3])
    expect([once.getValue(b), twice.getValue(c)]).toEqual([undefined, undefined])
  })

  it('stays correct past the depth where layers are merged, and after merging twice', () => {
    let layered: Context = layerValue(ROOT_CONTEXT, KEYS[0]!, -1)
    let reference: Context = ROOT_CONTEXT.setValue(KEYS[0]!, -1)
    for (let i = 0; i < 100; i++) {
      const key = createContextKey(`layered-context depth ${i}`)
      layered = layered.setValue(key, i)
      reference = reference.setValue(key, i)
      if (i % 7 === 3) {
        layered = layered.deleteValue(KEYS[0]!)
        reference = reference.deleteValue(KEYS[0]!)
      } else if (i % 7 === 5) {
        layered = layered.setValue(KEYS[0]!, i)
        reference = reference.setValue(KEYS[0]!, i)
      }
    }
    for (let i = 0; i < 100; i++) {
      const key = createContextKey(`layered-context depth ${i}`)
      expect(layered.getValue(key)).toBe(reference.getValue(key))
    }
    expect(layered.getValue(KEYS[0]!)).toBe(reference.getValue(KEYS[0]!))
  })

  it('carries spans and baggage through the API and the AsyncLocalStorage context manager', async () => {
    const span = otel.tracer.startSpan('parent')
    const baggage = propagation.createBaggage({ tenant: { value: 'acme' } })
    const handle = { handle: true }
    const layered = propagation.setBaggage(
      trace.setSpan(layerValue(ROOT_CONTEXT, KEYS[1]!, handle), span),
      baggage,
    )
    expect(trace.getSpan(layered)).toBe(span)
    expect(propagation.getBaggage(layered)).toBe(baggage)
    await context.with(layered, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      const active = context.active()
      expect(active).toBe(layered)
      expect(active.getValue(KEYS[1]!)).toBe(handle)
      const child = otel.tracer.startSpan('child')
      expect(child.spanContext().traceId).toBe(span.spanContext().traceId)
      child.end()
      const withoutBaggage = propagation.deleteBaggage(active)
      expect(propagation.getBaggage(withoutBaggage)).toBeUndefined()
      expect(trace.getSpan(withoutBaggage)).toBe(span)
      expect(propagation.getBaggage(active)).toBe(baggage)
      const carrier: Record<string, string> = {}
      propagation.inject(active, carrier)
      expect(carrier.traceparent).toContain(span.spanContext().spanId)
      expect(carrier.baggage).toBe('tenant=acme')
    })
    span.end()
    expect(otel.spans().map((s) => s.parentSpanContext?.spanId)).toEqual([
      span.spanContext().spanId,
      undefined,
    ])
  })

  it('is what w3cPropagator extracts into: the span context, its baggage, the root untouched', () => {
    const extracted = w3cPropagator().extract(
      ROOT_CONTEXT,
      { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03', baggage: 'k=v' },
      defaultTextMapGetter,
    )
    expect(trace.getSpanContext(extracted)).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      isRemote: true,
    })
    expect(propagation.getBaggage(extracted)?.getEntry('k')?.value).toBe('v')
    expect(trace.getSpanContext(ROOT_CONTEXT)).toBeUndefined()
  })
})
