/**
 * The propagator micro-benchmark process, ours against @opentelemetry/core's, in alternating
 * rounds: parsing a traceparent and a tracestate alone, then the whole propagators extracting
 * (parse both, build the context) and injecting (format both).
 */

import { serveRequests } from '../lib/ipc'
import { MICRO_OPERATIONS, type Operation, operations } from '../lib/propagator-operations'
import { median } from '../lib/stats'

// The results feed this, so the JIT cannot drop the work.
let sink = 0

/** Operations per second of `operation` over about `durationMs`. */
function opsPerSecond(operation: Operation, durationMs: number): number {
  const batch = 1000
  let done = 0
  const started = performance.now()
  const deadline = started + durationMs
  while (performance.now() < deadline) {
    for (let i = 0; i < batch; i++) sink += operation()
    done += batch
  }
  return done / ((performance.now() - started) / 1000)
}

interface MicroRequest {
  reps: number
  roundMs: number
}

function run({ reps, roundMs }: MicroRequest) {
  const ours = operations('ours')
  const otel = operations('otel')
  const result: Record<string, { ours: number; otel: number; ratio: number }> = {}
  for (const name of MICRO_OPERATIONS) {
    opsPerSecond(ours[name], roundMs)
    opsPerSecond(otel[name], roundMs)
    const samples = { ours: [] as number[], otel: [] as number[], ratio: [] as number[] }
    for (let rep = 0; rep < reps; rep++) {
      // Alternate which one goes first, so drift on a noisy machine does not favour either.
      const first = rep % 2 === 0
      const a = first ? opsPerSecond(ours[name], roundMs) : 0
      const b = opsPerSecond(otel[name], roundMs)
      const c = first ? a : opsPerSecond(ours[name], roundMs)
      samples.ours.push(c)
      samples.otel.push(b)
      samples.ratio.push(c / b)
    }
    result[name] = { ours: median(samples.ours), otel: median(samples.otel), ratio: median(samples.ratio) }
  }
  return { ...result, sink: sink % 2 }
}

serveRequests((message) => run(message as unknown as MicroRequest), { ready: true })
