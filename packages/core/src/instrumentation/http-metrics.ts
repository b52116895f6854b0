import type { Attributes, Histogram, UpDownCounter } from '@opentelemetry/api'
import { copyHeaderRecord } from '../carriers/record-carrier'
import type { InstrumentationScope } from './compile-options'
import { durationHistogram, TimedMeasurement } from './duration-histogram'
import { followMeter, type MetricsOptions } from './follow-meter'
import { safely } from './guard'
import { clientErrorType, normalizeMethod, serverErrorType, serverPort } from './http-attributes'
import type { Measurement, RequestOutcome } from './request-handle'

/** `http.client.request.duration` for one client adapter. */
export interface ClientMetrics {
  /**
   * At the start of a request: its measurement, or undefined when nothing records. `url` is
   * called once, when the request ends, and only when it is measured; a throw there leaves the
   * URL attributes out.
   */
  start(method: string, url: () => URL | undefined): Measurement | undefined
}

class ClientRequestMeasurement extends TimedMeasurement {
  constructor(
    private readonly duration: Histogram,
    private readonly method: string,
    private readonly url: () => URL | undefined,
  ) {
    super()
  }

  protected record(elapsed: number, { status }: RequestOutcome, failure: unknown): void {
    const method = normalizeMethod(this.method).method
    const url = safely('parsing the request URL', this.url, undefined)
    // One literal with the URL's attributes, not three additions to a smaller one: each addition
    // is a map transition, on every request (bench README, section 19).
    const attributes: Attributes = url
      ? {
          'http.request.method': method,
          'server.address': url.hostname,
          'server.port': serverPort(url),
          'url.scheme': url.protocol.slice(0, -1),
        }
      : { 'http.request.method': method }
    if (status !== undefined && status > 0) attributes['http.response.status_code'] = status
    const type = clientErrorType(status, failure)
    if (type !== undefined) attributes['error.type'] = type
    this.duration.record(elapsed, attributes)
  }
}

/**
 * Compiles a client adapter's metrics once: `http.client.request.duration` through
 * `meterProvider`, or the global provider as it is at each request.
 *
 * @example
 * const metrics = compileClientMetrics({}, { name: '@otel-http/fetch' })
 * const measurement = metrics.start('GET', () => url)
 * // … once the response arrived or the request failed (the request handle does this):
 * measurement?.end({ status: 200 }, undefined)
 */
export function compileClientMetrics(options: MetricsOptions, scope: InstrumentationScope): ClientMetrics {
  const instruments = followMeter(options, scope, (meter) =>
    durationHistogram(meter, 'http.client.request.duration', 'Duration of HTTP client requests.'),
  )
  return {
    start(method, url) {
      const duration = instruments()
      return duration && new ClientRequestMeasurement(duration, method, url)
    },
  }
}

/** What a server knows about a request when it starts, for its metrics. */
export interface ServerMetricsStart {
  /** The method as received; unknown methods are recorded as `_OTHER`. */
  method: string
  /** `http` or `https`. */
  scheme?: string
  /** `1.1`, `2`, when the server says. */
  protocolVersion?: string
}

/** The metrics of one incoming request; `end` records once, later calls do nothing. */
export interface ServerMeasurement extends Measurement {
  /** The route template (`/users/:id`) once the framework knows it; never the raw path. */
  setRoute(route: string): void
}

/** `http.server.request.duration` and `http.server.active_requests` for one server adapter. */
export interface ServerMetrics {
  /** At the start of a request: counts it active and returns its measurement, or undefined when nothing records. */
  start(request: ServerMetricsStart): ServerMeasurement | undefined
}

interface ServerInstruments {
  duration: Histogram
  active: UpDownCounter
}

class ServerRequestMeasurement extends TimedMeasurement implements ServerMeasurement {
  // `http.request.method` and `url.scheme`: the active-requests attributes, and the start of the duration's.
  private readonly common: Attributes
  private readonly protocolVersion: string | undefined
  private route: string | undefined

  constructor(
    private readonly instruments: ServerInstruments,
    { method, scheme, protocolVersion }: ServerMetricsStart,
  ) {
    super()
    const common: Attributes = { 'http.request.method': normalizeMethod(method).method }
    if (scheme) common['url.scheme'] = scheme
    this.common = common
    this.protocolVersion = protocolVersion
    const { active } = instruments
    safely('recording http.server.active_requests', () => active.add(1, common), undefined)
  }

  setRoute(route: string): void {
    this.route = route
  }

  protected record(elapsed: number, outcome: RequestOutcome, failure: unknown): void {
    const { instruments, common, protocolVersion, route } = this
    const { status } = outcome
    const attributes: Attributes = copyHeaderRecord(common)
    if (status !== undefined && status > 0) attributes['http.response.status_code'] = status
    if (route) attributes['http.route'] = route
    const type = serverErrorType(outcome, failure)
    if (type !== undefined) attributes['error.type'] = type
    if (protocolVersion) attributes['network.protocol.version'] = protocolVersion
    instruments.active.add(-1, common)
    instruments.duration.record(elapsed, attributes)
  }
}

/**
 * Compiles a server adapter's metrics once: `http.server.request.duration` and
 * `http.server.active_requests` through `meterProvider`, or the global provider as it is at
 * each request.
 *
 * @example
 * const metrics = compileServerMetrics({}, { name: '@otel-http/server' })
 * const measurement = metrics.start({ method: 'GET', scheme: 'http', protocolVersion: '1.1' })
 * measurement?.setRoute('/users/:id')
 * // … once the response closed (the request handle does this):
 * measurement?.end({ status: 200 }, undefined)
 */
export function compileServerMetrics(options: MetricsOptions, scope: InstrumentationScope): ServerMetrics {
  const instruments = followMeter(
    options,
    scope,
    (meter): ServerInstruments => ({
      duration: durationHistogram(meter, 'http.server.request.duration', 'Duration of HTTP server requests.'),
      active: meter.createUpDownCounter('http.server.active_requests', {
        description: 'Number of active HTTP server requests.',
        unit: '{request}',
      }),
    }),
  )
  return {
    start(request) {
      const current = instruments()
      return current && new ServerRequestMeasurement(current, request)
    },
  }
}
