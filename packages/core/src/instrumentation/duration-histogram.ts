import type { Histogram, Meter } from '@opentelemetry/api'
import type { Measurement, RequestOutcome } from './request-handle'

// The semantic conventions' advice for every request and operation duration (HTTP, messaging), in seconds.
const DURATION_BOUNDARIES = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]

/** A duration histogram in seconds, with the conventions' bucket boundaries as advice. */
export function durationHistogram(meter: Meter, name: string, description: string): Histogram {
  return meter.createHistogram(name, {
    description,
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BOUNDARIES },
  })
}

/**
 * A measurement that times from its creation and records once: the first `end` records the
 * elapsed seconds, later ones do nothing. Each kind says what it records.
 */
export abstract class TimedMeasurement<Res = unknown> implements Measurement<Res> {
  private readonly startTime = performance.now()
  private ended = false

  end(outcome: RequestOutcome<Res>, failure: unknown): void {
    if (this.ended) return
    this.ended = true
    this.record((performance.now() - this.startTime) / 1000, outcome, failure)
  }

  protected abstract record(seconds: number, outcome: RequestOutcome<Res>, failure: unknown): void
}
