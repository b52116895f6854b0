import { type Context, context } from '@opentelemetry/api'
import { quantile } from './stats'

/** One request as a variant makes it; resolves once the response body has been read. */
export type Send = () => Promise<unknown>

/** What a client process measured over one segment. */
export interface LoadResult {
  requests: number
  errors: number
  firstError?: string
  seconds: number
  /** Client CPU (user + system) per request, µs. */
  cpuPerRequest: number
  /** Latency quantiles, µs. */
  p50: number
  p99: number
}

/**
 * Closed-loop load: `concurrency` workers, each sending its next request as soon as the last one
 * completed, until `durationMs` has passed, all inside `ctx` (the caller's active context).
 */
export async function runLoad(
  send: Send,
  concurrency: number,
  durationMs: number,
  ctx: Context,
): Promise<LoadResult> {
  const latencies: number[] = []
  let errors = 0
  let firstError: string | undefined
  const deadline = performance.now() + durationMs

  async function worker(): Promise<void> {
    while (performance.now() < deadline) {
      const started = performance.now()
      try {
        await send()
        latencies.push(performance.now() - started)
      } catch (error) {
        errors++
        firstError ??= String(error)
      }
    }
  }

  const cpuBefore = process.cpuUsage()
  const wallBefore = performance.now()
  await context.with(ctx, () => Promise.all(Array.from({ length: concurrency }, worker)))
  const seconds = (performance.now() - wallBefore) / 1000
  const cpu = process.cpuUsage(cpuBefore)

  const requests = latencies.length
  const sorted = Float64Array.from(latencies).sort()
  return {
    requests,
    errors,
    firstError,
    seconds,
    cpuPerRequest: (cpu.user + cpu.system) / Math.max(1, requests + errors),
    p50: quantile(sorted, 0.5) * 1000,
    p99: quantile(sorted, 0.99) * 1000,
  }
}
