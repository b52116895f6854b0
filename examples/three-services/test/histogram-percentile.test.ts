import { describe, expect, it } from 'vitest'
import { percentile } from '../src/histogram-percentile'

const boundaries = [0.005, 0.01, 0.025, 0.05, 0.1]

describe('percentile', () => {
  it('is exact for a single measurement (clamped to min and max)', () => {
    const one = { count: 1, min: 0.0123, max: 0.0123, buckets: { boundaries, counts: [0, 0, 1, 0, 0, 0] } }
    expect(percentile(one, 0.5)).toBe(0.0123)
    expect(percentile(one, 0.99)).toBe(0.0123)
  })

  it('interpolates inside the bucket that holds the rank', () => {
    // 10 in (0.01, 0.025], 10 in (0.025, 0.05]
    const twenty = {
      count: 20,
      min: 0.011,
      max: 0.049,
      buckets: { boundaries, counts: [0, 0, 10, 10, 0, 0] },
    }
    expect(percentile(twenty, 0.25)).toBeCloseTo(0.0175)
    expect(percentile(twenty, 0.5)).toBeCloseTo(0.025)
    expect(percentile(twenty, 0.99)).toBeCloseTo(0.049)
  })

  it('uses max as the upper bound of the overflow bucket, and is undefined when empty', () => {
    const slow = { count: 2, min: 0.2, max: 3, buckets: { boundaries, counts: [0, 0, 0, 0, 0, 2] } }
    expect(percentile(slow, 0.5)).toBeCloseTo(1.55)
    expect(percentile({ count: 0, buckets: { boundaries, counts: [0, 0, 0, 0, 0, 0] } }, 0.5)).toBeUndefined()
  })
})
