import type { Comparison } from './report'
import type { VariantName } from './variants'

interface Target {
  throughput: number
  cpu: number
}

// Issue 2: spans off ≥ 0.95 (c=1) / 0.93 (c=32) × bare and ≤ +3 µs client CPU per request;
// spans on ≥ 0.90 / 0.85 and ≤ +8 µs. Other concurrencies get the c=32 bar.
const TARGETS: Partial<Record<VariantName, [single: Target, concurrent: Target]>> = {
  'spans-off': [
    { throughput: 0.95, cpu: 3 },
    { throughput: 0.93, cpu: 3 },
  ],
  'spans-on': [
    { throughput: 0.9, cpu: 8 },
    { throughput: 0.85, cpu: 8 },
  ],
}

/** The target for a variant, as text, with whether this run met it. */
export function verdict(
  variant: VariantName,
  concurrency: number,
  result: Comparison,
  auto: Comparison | undefined,
): string {
  const target = TARGETS[variant]?.[concurrency === 1 ? 0 : 1]
  if (!target) return ''
  const parts = [
    `≥ ${target.throughput.toFixed(2)}× ${result.throughput >= target.throughput ? 'met' : 'MISSED'}`,
    `≤ +${target.cpu} µs ${result.cpu <= target.cpu ? 'met' : 'MISSED'}`,
  ]
  if (auto) {
    const ahead = result.throughput > auto.throughput && result.cpu < auto.cpu
    parts.push(`ahead of auto: ${ahead ? 'yes' : 'NO'}`)
  }
  return parts.join('; ')
}
