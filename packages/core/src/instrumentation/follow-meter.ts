import { createNoopMeter, type Meter, type MeterProvider, metrics } from '@opentelemetry/api'
import type { InstrumentationScope } from './compile-options'
import { safely } from './guard'

/** The options every adapter takes for its metrics. */
export interface MetricsOptions {
  /** Default: the global meter provider, followed when one is registered later. */
  meterProvider?: MeterProvider
  /**
   * `true` (default): the adapter's metrics (HTTP: `http.client.request.duration`, or
   * `http.server.request.duration` and `http.server.active_requests`), recorded whatever `spans`
   * and sampling say. `false`: no metrics, and no meter is touched.
   */
  metrics?: boolean
}

// Where @opentelemetry/api 1.x (the peer range) keeps the registered globals (`registerGlobal`).
// `metrics.getMeterProvider()` checks the registering API's version on every call (≈ 400
// instructions a request on Node 20, bench/README.md "HTTP metrics"); one load of the slot tells
// whether anything changed since the API was last asked.
const API_GLOBALS = Symbol.for('opentelemetry.js.api.1')
const UNREAD: unique symbol = Symbol('not read')

type WithApiGlobals = { [API_GLOBALS]?: { metrics?: unknown } }

function registeredMeterProvider(): unknown {
  return (globalThis as WithApiGlobals)[API_GLOBALS]?.metrics
}

const apiGlobalsExist = (): boolean => (globalThis as WithApiGlobals)[API_GLOBALS] !== undefined

/**
 * Compiles an adapter's instruments once and returns the per-request lookup: the instruments to
 * record into, or undefined when nothing would be recorded (`metrics: false`, or the provider
 * answers with the API's no-op meter), so an idle adapter builds no attributes and reads no clock.
 *
 * Unlike tracing, the metrics API has no proxy provider: a meter taken from the global provider
 * before the SDK registers is the no-op meter forever. So the global provider is followed per
 * request and the instruments are remade only when it is not the provider seen last time: one
 * load and one identity check per request.
 */
export function followMeter<T>(
  options: MetricsOptions,
  scope: InstrumentationScope,
  make: (meter: Meter) => T,
): () => T | undefined {
  if (options.metrics === false) return () => undefined

  const instrumentsOf = (provider: MeterProvider): T | undefined => {
    const meter = safely('getting a meter', () => provider.getMeter(scope.name, scope.version), undefined)
    if (meter === undefined || meter === createNoopMeter()) return undefined
    return safely('creating the HTTP instruments', () => make(meter), undefined)
  }

  const { meterProvider } = options
  if (meterProvider) {
    const instruments = instrumentsOf(meterProvider)
    return () => instruments
  }

  let seen: MeterProvider | undefined
  let instruments: T | undefined
  // The slot as last read, while reading it stands for asking the API (see registeredMeterProvider).
  let seenSlot: unknown = UNREAD
  let direct = true
  return () => {
    let slot: unknown = UNREAD
    if (direct) {
      slot = registeredMeterProvider()
      if (slot === seenSlot) return instruments
    }
    const provider = metrics.getMeterProvider()
    if (provider !== seen) {
      seen = provider
      instruments = instrumentsOf(provider)
    }
    if (direct) {
      // The API answers with what the slot holds, or with its no-op when the slot is empty. If it
      // does not (a version the API refuses, another API's slot), it is asked on every request.
      if (slot === undefined ? instruments !== undefined : provider !== slot) direct = false
      // An empty slot where no API 1.x has registered anything yet is not trusted either.
      seenSlot = slot === undefined && !apiGlobalsExist() ? UNREAD : slot
    }
    return instruments
  }
}
