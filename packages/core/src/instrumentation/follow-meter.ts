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

/**
 * Compiles an adapter's instruments once and returns the per-request lookup: the instruments to
 * record into, or undefined when nothing would be recorded (`metrics: false`, or the provider
 * answers with the API's no-op meter), so an idle adapter builds no attributes and reads no clock.
 *
 * Unlike tracing, the metrics API has no proxy provider: a meter taken from the global provider
 * before the SDK registers is the no-op meter forever. So the global provider is read again per
 * request and the instruments are remade only when it is not the provider seen last time: one
 * identity check per request.
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
  return () => {
    const provider = metrics.getMeterProvider()
    if (provider !== seen) {
      seen = provider
      instruments = instrumentsOf(provider)
    }
    return instruments
  }
}
