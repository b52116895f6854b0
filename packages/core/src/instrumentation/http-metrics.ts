import type { Attributes, Histogram, UpDownCounter } from '@opentelemetry/api'
import type { InstrumentationScope } from './client-instrumentation'
import { durationHistogram, secondsSince } from './duration-histogram'
import { followMeter, type MetricsOptions } from './follow-meter'
import { errorType, normalizeMethod, serverPort } from './http-attributes'
import { safely } from './safely'

/** How an outgoing request ended, as its metrics see it. */
export interface ClientMetricsOutcome {
  /** The method as the caller gave it; unknown methods are recorded as `_OTHER`. */
  method: string
  /** The request URL: `server.address`, `server.port` and `url.scheme`, never the URL itself. */
  url: URL | undefined
  /** The status code, when a response came. */
  status?: number
  /** The failure: network error, abort, timeout, or a response body that failed. */
  error?: unknown
  /** `1.1`, `2`, when the transport says. */
  protocolVersion?: string
}

/**
 * `error.type` of a client request: the failure's type when there is one, else the status code
 * for 4xx and 5xx (a client treats both as errors, as the HTTP semantic conventions say).
 */
export function clientErrorType(status: number | undefined, error: unknown): string | undefined {
  if (error !== undefined) return errorType(error)
  return status !== undefined && status >= 400 ? String(status) : undefined
}

/** The metrics of one outgoing request; `end` records once, later calls do nothing. */
export interface ClientMeasurement {
  end(outcome: ClientMetricsOutcome): void
}

/** `http.client.request.duration` for one client adapter. */
export interface ClientMetrics {
  /** At the start of a request: its measurement, or undefined when nothing records. */
  start(): ClientMeasurement | undefined
}

class ClientRequestMeasurement implements ClientMeasurement {
  private readonly startTime = performance.now()
  private ended = false

  constructor(private readonly duration: Histogram) {}

  end({ method, url, status, error, protocolVersion }: ClientMetricsOutcome): void {
    if (this.ended) return
    this.ended = true
    const elapsed = secondsSince(this.startTime)
    const attributes: Attributes = { 'http.request.method': normalizeMethod(method).method }
    if (url) {
      attributes['server.address'] = url.hostname
      attributes['server.port'] = serverPort(url)
      attributes['url.scheme'] = url.protocol.slice(0, -1)
    }
    if (status !== undefined && status > 0) attributes['http.response.status_code'] = status
    const type = clientErrorType(status, error)
    if (type !== undefined) attributes['error.type'] = type
    if (protocolVersion) attributes['network.protocol.version'] = protocolVersion
    const { duration } = this
    safely('recording http.client.request.duration', () => duration.record(elapsed, attributes), undefined)
  }
}

/**
 * Compiles a client adapter's metrics once: `http.client.request.duration` through
 * `meterProvider`, or the global provider as it is at each request.
 *
 * @example
 * const metrics = compileClientMetrics({}, { name: '@otel-http/fetch' })
 * const measurement = metrics.start()
 * // … once the response arrived or the request failed:
 * measurement?.end({ method: 'GET', url, status: 200 })
 */
export function compileClientMetrics(options: MetricsOptions, scope: InstrumentationScope): ClientMetrics {
  const instruments = followMeter(options, scope, (meter) =>
    durationHistogram(meter, 'http.client.request.duration', 'Duration of HTTP client requests.'),
  )
  return {
    start() {
      const duration = instruments()
      return duration && new ClientRequestMeasurement(duration)
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

/** How an incoming request ended, as its metrics see it. */
export interface ServerMetricsOutcome {
  /** The status code sent, when one was. */
  status?: number
  /** The route template (`/users/:id`) when the framework knows it; never the raw path. */
  route?: string
  /** The server's own failure (the handler threw); a 4xx error the framework answered is not one. */
  error?: unknown
  /** The connection closed before the response finished. */
  closedEarly?: boolean
}

/**
 * `error.type` of a served request, in the order its span records them: the handler's failure,
 * else a connection closed early, else the status code for 5xx (a 4xx is the caller's error).
 */
export function serverErrorType({ status, error, closedEarly }: ServerMetricsOutcome): string | undefined {
  if (error !== undefined) return errorType(error)
  if (closedEarly) return 'connection_closed'
  return status !== undefined && status >= 500 ? String(status) : undefined
}

/** The metrics of one incoming request; `end` records once, later calls do nothing. */
export interface ServerMeasurement {
  end(outcome: ServerMetricsOutcome): void
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

class ServerRequestMeasurement implements ServerMeasurement {
  private readonly startTime = performance.now()
  private ended = false
  // `http.request.method` and `url.scheme`: the active-requests attributes, and the start of the duration's.
  private readonly common: Attributes
  private readonly protocolVersion: string | undefined

  constructor(
    private readonly instruments: ServerInstruments,
    { method, scheme, protocolVersion }: ServerMetricsStart,
  ) {
    const common: Attributes = { 'http.request.method': normalizeMethod(method).method }
    if (scheme) common['url.scheme'] = scheme
    this.common = common
    this.protocolVersion = protocolVersion
    const { active } = instruments
    safely('recording http.server.active_requests', () => active.add(1, common), undefined)
  }

  end(outcome: ServerMetricsOutcome): void {
    if (this.ended) return
    this.ended = true
    const elapsed = secondsSince(this.startTime)
    const { instruments, common, protocolVersion } = this
    const { status, route } = outcome
    const attributes: Attributes = { ...common }
    if (status !== undefined && status > 0) attributes['http.response.status_code'] = status
    if (route) attributes['http.route'] = route
    const type = serverErrorType(outcome)
    if (type !== undefined) attributes['error.type'] = type
    if (protocolVersion) attributes['network.protocol.version'] = protocolVersion
    safely(
      'recording the HTTP server metrics',
      () => {
        instruments.active.add(-1, common)
        instruments.duration.record(elapsed, attributes)
      },
      undefined,
    )
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
 * // … once the response closed:
 * measurement?.end({ status: 200, route: '/users/:id' })
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
