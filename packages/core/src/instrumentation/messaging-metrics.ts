import type { Attributes, Histogram } from '@opentelemetry/api'
import type { InstrumentationScope } from './compile-options'
import { durationHistogram, secondsSince } from './duration-histogram'
import { followMeter, type MetricsOptions } from './follow-meter'
import { errorType } from './http-attributes'
import type { Measurement, RequestOutcome } from './request-handle'

/** What a messaging operation's metrics record about it, known when it starts. */
export interface MessagingMetricsStart {
  /** `send`, `receive` (both `messaging.client.operation.duration`) or `process` (`messaging.process.duration`). */
  type: 'send' | 'receive' | 'process'
  /** `messaging.system`. */
  system: string
  /** `messaging.destination.name`. */
  destination: string
  /** `messaging.operation.name`. */
  operationName: string
}

/** `messaging.client.operation.duration` and `messaging.process.duration` for one adapter. */
export interface MessagingMetrics {
  /** At the start of an operation: its measurement, or undefined when nothing records. */
  start(operation: MessagingMetricsStart): Measurement | undefined
}

interface MessagingInstruments {
  client: Histogram
  process: Histogram
}

class MessagingOperationMeasurement implements Measurement {
  private readonly startTime = performance.now()
  private ended = false

  constructor(
    private readonly histogram: Histogram,
    private readonly attributes: Attributes,
  ) {}

  end(_outcome: RequestOutcome, failure: unknown): void {
    if (this.ended) return
    this.ended = true
    const elapsed = secondsSince(this.startTime)
    const attributes =
      failure === undefined ? this.attributes : { ...this.attributes, 'error.type': errorType(failure) }
    this.histogram.record(elapsed, attributes)
  }
}

/**
 * Compiles a messaging adapter's metrics once, through `meterProvider` or the global provider
 * as it is at each operation: `messaging.client.operation.duration` for send and receive,
 * `messaging.process.duration` for process, as the messaging semantic conventions name them.
 *
 * @example
 * const metrics = compileMessagingMetrics({}, { name: '@otel-http/messaging' })
 * const measurement = metrics.start({ type: 'send', system: 'aws_sqs', destination: 'jobs', operationName: 'SendMessage' })
 * // … once the broker answered (the request handle does this):
 * measurement?.end({}, undefined)
 */
export function compileMessagingMetrics(
  options: MetricsOptions,
  scope: InstrumentationScope,
): MessagingMetrics {
  const instruments = followMeter(
    options,
    scope,
    (meter): MessagingInstruments => ({
      client: durationHistogram(
        meter,
        'messaging.client.operation.duration',
        'Duration of messaging operation initiated by a producer or consumer client.',
      ),
      process: durationHistogram(meter, 'messaging.process.duration', 'Duration of processing operation.'),
    }),
  )
  return {
    start({ type, system, destination, operationName }) {
      const current = instruments()
      if (!current) return undefined
      const attributes: Attributes = {
        'messaging.system': system,
        'messaging.destination.name': destination,
        'messaging.operation.name': operationName,
      }
      if (type !== 'process') attributes['messaging.operation.type'] = type
      return new MessagingOperationMeasurement(
        type === 'process' ? current.process : current.client,
        attributes,
      )
    },
  }
}
