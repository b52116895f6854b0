import { randomBytes } from 'node:crypto'
import {
  baggageEntryMetadataFromString,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type TextMapPropagator,
  type TextMapSetter,
  type TraceState,
  trace,
} from '@opentelemetry/api'
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core'
import { w3cPropagator } from '@otel-http/core'

/**
 * Baggage metadata no platform accepts in a header (a line feed) or that breaks the W3C baggage
 * grammar and the Latin-1 range (an emoji).
 */
export const BROKEN_METADATA = [
  { name: 'a line feed', metadata: 'a\nb' },
  { name: 'an emoji', metadata: 'p=\u{1F600}' },
]

/** Our W3C propagator and the SDK's, each composed with a propagator that writes bad values. */
export const PROPAGATORS = [
  // Ours holds another implementation's TraceState to the rules of a received header.
  { name: 'w3cPropagator()', make: (): TextMapPropagator => w3cPropagator(), writesBrokenTraceState: false },
  {
    name: "the SDK's W3CTraceContextPropagator and W3CBaggagePropagator",
    writesBrokenTraceState: true,
    make: (): TextMapPropagator =>
      new CompositePropagator({
        propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
      }),
  },
]

/** A custom propagator breaking its contract: a CR LF value and a value that is not a string. */
export const customPropagator: TextMapPropagator = {
  inject(_ctx: Context, carrier: unknown, setter: TextMapSetter) {
    setter.set(carrier, 'x-custom', 'a\r\nInjected: 1')
    setter.set(carrier, 'x-number', 42 as unknown as string)
    setter.set(carrier, 'x-fine', 'kept')
  },
  extract: (ctx) => ctx,
  fields: () => ['x-custom', 'x-number', 'x-fine'],
}

/** A TraceState from another implementation whose text no platform would send. */
const brokenTraceState: TraceState = {
  set: () => brokenTraceState,
  unset: () => brokenTraceState,
  get: () => undefined,
  serialize: () => 'vendor=a\u0000b',
}

/**
 * Runs `fn` in a remote trace carrying `brokenTraceState`, with baggage `ok=1` and `k=v` whose
 * metadata is `metadata`.
 */
export function withUnsendableContext<T>(metadata: string, fn: () => T): T {
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    traceFlags: 1,
    isRemote: true,
    traceState: brokenTraceState,
  })
  const baggage = propagation.createBaggage({
    ok: { value: '1' },
    k: { value: 'v', metadata: baggageEntryMetadataFromString(metadata) },
  })
  return context.with(propagation.setBaggage(remote, baggage), fn)
}

/** Every header value a platform accepts (the rule of Node's http and undici). */
export const SENDABLE = /^[\t\x20-\x7e\x80-\xff]*$/
