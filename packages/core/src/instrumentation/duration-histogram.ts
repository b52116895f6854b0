import type { Histogram, Meter } from '@opentelemetry/api'

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

/** Seconds elapsed since `start`, a `performance.now()` reading. */
export const secondsSince = (start: number): number => (performance.now() - start) / 1000
