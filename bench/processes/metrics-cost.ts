/**
 * The metrics-cost process: `metrics-cost.ts <provider> <variant> <propagator>`. Measures the CPU
 * one call costs, the transport answered at once (as in hot-path.ts), for each target of
 * lib/metrics-calls.ts (which says what the providers and variants are), so what differs between
 * variants is the HTTP metrics alone.
 */
import { serveRequests } from '../lib/ipc'
import type { MetricsProvider, MetricsTarget, MetricsVariant } from '../lib/metrics-benchmark'
import { metricsCalls } from '../lib/metrics-calls'
import { cpuPerCall } from '../lib/no-io'
import { type PropagatorChoice, requestContext, setupSdk } from '../lib/sdk'

const [provider, variant, propagator] = process.argv.slice(2) as [
  MetricsProvider,
  MetricsVariant,
  PropagatorChoice,
]

setupSdk(propagator)
const { calls, recorded } = metricsCalls(provider, variant)
const ctx = requestContext()

let recordedBefore = 0
serveRequests(
  async (message) => {
    const { target, roundMs } = message as unknown as { target: MetricsTarget; roundMs: number }
    const { perCall, calls: count } = await cpuPerCall(ctx, calls[target], roundMs)
    if (provider === 'sdk') {
      // Cumulative: the collection is off the clock, and counts what this round added.
      const total = await recorded()
      const expected = variant === 'off' ? 0 : count
      if (total - recordedBefore !== expected) {
        throw new Error(`${target} ${variant}: ${count} calls recorded ${total - recordedBefore} durations`)
      }
      recordedBefore = total
    }
    return perCall
  },
  { ready: true },
)
