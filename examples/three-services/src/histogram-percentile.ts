/** What a histogram data point of the SDK holds (explicit buckets). */
export interface HistogramValue {
  count: number
  min?: number
  max?: number
  buckets: { boundaries: number[]; counts: number[] }
}

/**
 * The `q`-quantile (0–1) a histogram's buckets allow, as a metrics backend estimates it: find the
 * bucket holding that rank and interpolate linearly inside it, clamped to the recorded min and
 * max (which makes the answer exact for a single measurement). Undefined for an empty histogram.
 *
 * @example
 * percentile(point.value, 0.99) // seconds, for http.server.request.duration
 */
export function percentile({ count, min, max, buckets }: HistogramValue, q: number): number | undefined {
  if (count === 0) return undefined
  const { boundaries, counts } = buckets
  const rank = q * count
  let below = 0
  for (let i = 0; i < counts.length; i++) {
    const inBucket = counts[i] ?? 0
    if (inBucket > 0 && below + inBucket >= rank) {
      const lower = i === 0 ? (min ?? 0) : boundaries[i - 1]!
      const upper = i < boundaries.length ? boundaries[i]! : (max ?? lower)
      const estimate = lower + (upper - lower) * ((rank - below) / inBucket)
      return Math.min(Math.max(estimate, min ?? -Infinity), max ?? Infinity)
    }
    below += inBucket
  }
  return max
}
