import { createClientInstrumentation, type HeaderRecord, recordSetter, redirectHops } from '@otel-http/core'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { asCaller, type Tracing } from '../../../test/support/client-caller'
import { onlyClientSpan, setupTracing } from '../../../test/support/tracing'

let tracing: Tracing
beforeAll(() => {
  tracing = setupTracing()
})
beforeEach(() => tracing.reset())

const ALLOWED = 'http://api.internal'
const THIRD = new URL('https://third.example/x')

/** Starts a call to `url` as the caller, injects like an adapter, and hands both to `fn`. */
async function withCall(
  url: string,
  fn: (hops: ReturnType<typeof redirectHops>, sent: HeaderRecord) => void,
) {
  const instrumentation = createClientInstrumentation({ propagateTo: [ALLOWED] }, { name: 'test' })
  await asCaller(tracing, async () => {
    const call = instrumentation.start({ method: 'GET', url: () => new URL(url), request: undefined })!
    const sent: HeaderRecord = { accept: 'text/plain' }
    call.inject(sent, recordSetter)
    fn(redirectHops(call), sent)
    call.end({ status: 200 })
  })
}

describe('redirectHops', () => {
  it('takes the values the call wrote off a hop outside propagateTo, in any case, and keeps the rest', async () => {
    await withCall(`${ALLOWED}/a`, (hops, sent) => {
      const { traceparent, baggage } = sent as { traceparent: string; baggage: string }
      const onWire: HeaderRecord = {
        Accept: 'text/plain',
        TraceParent: traceparent,
        baggage: [baggage, 'mine=1'],
      }
      expect(hops.next(THIRD, onWire)).toEqual({ Accept: 'text/plain', baggage: ['mine=1'] })
      expect(onWire.TraceParent).toBe(traceparent)
    })
  })

  it('keeps a trace header the caller set to another value, and removes everything for an unknown URL', async () => {
    await withCall(`${ALLOWED}/a`, (hops, sent) => {
      const own = { traceparent: '00-11111111111111111111111111111111-2222222222222222-01' }
      expect(hops.next(THIRD, own)).toBe(own)
      expect(hops.next(undefined, { ...sent })).toEqual({ accept: 'text/plain' })
    })
  })

  it('puts the trace headers on a hop propagateTo allows, even when the first request got none', async () => {
    await withCall('https://third.example/start', (hops, sent) => {
      expect(sent).toEqual({ accept: 'text/plain' })
      const back = hops.next(new URL(`${ALLOWED}/b`), { Traceparent: 'stale', accept: 'text/plain' })
      expect(Object.keys(back!).sort()).toEqual(['accept', 'baggage', 'traceparent', 'tracestate'])
      const away = hops.next(THIRD, back)
      expect(away).toEqual({ accept: 'text/plain' })
    })
    expect(onlyClientSpan(tracing.spans()).attributes['http.request.resend_count']).toBe(2)
  })
})
