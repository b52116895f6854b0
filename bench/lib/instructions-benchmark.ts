/**
 * The no-I/O hot path and the propagators, counted in instructions (lib/instructions.ts): the
 * steady judge for the targets whose gaps are a few percent, inside what CPU time resolves on a
 * shared machine. Deltas against bare in instructions per call; no repetitions are needed (the
 * same run gives the same count).
 */
import { HOT_VARIANTS, type HotVariant } from './hot-calls'
import { countingUnavailable, instructionsPerCall } from './instructions'
import type { BenchOptions } from './options'
import { markdownTable } from './report'
import type { Targets } from './targets'
import type { ClientName } from './variants'

const LABELS: Record<ClientName, string> = {
  fetch: 'fetch (Node global)',
  undici: 'undici.request',
  axios: 'axios',
}

/** Runs `jobs` two at a time (valgrind is single-threaded; the machine has two cores). */
async function twoAtATime<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(jobs.length)
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++
      results[index] = await jobs[index]!()
    }
  }
  await Promise.all([worker(), worker()])
  return results
}

const count = (value: number) => Math.round(value).toLocaleString('en')
const plus = (value: number) => `${value >= 0 ? '+' : ''}${count(value)}`

/**
 * Counts every client's hot-path variants and both propagators' extract and inject, adds their
 * targets and prints the tables; returns the problems (none: a count cannot be noisy).
 */
export async function instructionsBenchmark(
  { clients, propagator, quick }: BenchOptions,
  targets: Targets,
  log: (line: string) => void,
): Promise<string[]> {
  const unavailable = countingUnavailable()
  if (unavailable) {
    log(`instructions: skipped, ${unavailable}`)
    return []
  }
  // JIT settled by the warm-up (checked: 20 000 and 40 000 warm-up calls give counts within 0.3%).
  const [warmUp, calls] = quick ? [2000, 2000] : [20_000, 20_000]
  const hot = await twoAtATime(
    clients.flatMap((client) =>
      HOT_VARIANTS.map(
        (variant) => () =>
          instructionsPerCall(['hot', client, variant, propagator], warmUp, calls).then(
            (perCall) => [client, variant, perCall] as const,
          ),
      ),
    ),
  )
  const rows: string[][] = []
  for (const client of clients) {
    const of = (variant: HotVariant) => hot.find(([c, v]) => c === client && v === variant)![2]
    const over = (variant: HotVariant) => of(variant) - of('bare')
    rows.push([
      LABELS[client],
      count(of('bare')),
      ...HOT_VARIANTS.slice(1).map((variant) => plus(over(variant))),
    ])
    const label = `${LABELS[client]}, no I/O, instructions`
    const unit = 'instructions'
    targets.add({
      target: `${label}: spans off`,
      unit,
      ours: over('spans-off'),
      reference: over('hand-inject'),
      referenceName: 'by hand: inject',
      limit: 1,
    })
    targets.add({
      target: `${label}: spans on`,
      unit,
      ours: over('spans-on'),
      reference: over('hand-span'),
      referenceName: 'by hand: span + inject',
      limit: 1,
    })
  }
  console.log(
    `\n### Instructions per call without I/O (callgrind; ${count(calls)} calls after ${count(warmUp)}; over bare)\n`,
  )
  console.log(
    markdownTable(
      ['client', 'bare', 'by hand: inject', 'spans off', 'by hand: span + inject', 'spans on'],
      rows,
    ),
  )

  const operations = ['extract', 'inject'] as const
  const ops = await twoAtATime(
    operations.flatMap((operation) =>
      (['ours', 'otel'] as const).map(
        (side) => () => instructionsPerCall(['op', side, operation], warmUp * 5, calls * 5),
      ),
    ),
  )
  const opRows = operations.map((operation, i) => {
    const [ours, otel] = [ops[2 * i]!, ops[2 * i + 1]!]
    targets.add({
      target: `w3c ${operation}, instructions per operation`,
      unit: 'instructions',
      ours,
      reference: otel,
      referenceName: '@opentelemetry/core',
      limit: 1,
    })
    return [operation, count(ours), count(otel), `${(ours / otel).toFixed(2)}×`]
  })
  console.log(
    '\n### W3C trace context, instructions per operation (traceContextPropagator() vs @opentelemetry/core)\n',
  )
  console.log(markdownTable(['operation', 'ours', '@opentelemetry/core', 'ours / theirs'], opRows))
  return []
}
