/**
 * `pnpm bench --parts=metrics`: what the HTTP metrics add per call, read against the same
 * measurement written by hand in the same run (metrics-cost.ts), and what they add while no
 * MeterProvider is registered.
 */

import type { BenchProcess } from './ipc'
import type { BenchOptions } from './options'
import { markdownTable } from './report'
import { rotate } from './schedule'
import { median } from './stats'

export const METRICS_TARGETS = ['fetch', 'undici', 'axios', 'axios-spans-off', 'server'] as const
export type MetricsTarget = (typeof METRICS_TARGETS)[number]
export type MetricsVariant = 'off' | 'on' | 'by-hand'
export type MetricsProvider = 'none' | 'sdk'

export const METRICS_LABELS: Record<MetricsTarget, string> = {
  fetch: 'tracedFetch (spans: false)',
  undici: 'tracingInterceptor (spans: false)',
  axios: 'instrumentAxios',
  'axios-spans-off': 'instrumentAxios (spans: false)',
  server: 'traceFetchHandler',
}

// "Near zero": below what this benchmark resolves between two identical processes.
const NEAR_ZERO_US = 0.5

/** Every provider × variant measured, the reference (`metrics: false`) of each provider first. */
export const METRICS_RUNS = [
  ['none', 'off'],
  ['none', 'on'],
  ['sdk', 'off'],
  ['sdk', 'by-hand'],
  ['sdk', 'on'],
] as const satisfies readonly (readonly [MetricsProvider, MetricsVariant])[]
type Run = `${MetricsProvider}/${MetricsVariant}`

/**
 * One process per provider × variant, rounds alternating between them, every delta taken
 * against `metrics: false` of the same repetition and provider; prints one table.
 */
export async function metricsBenchmark(
  { reps, durationMs, propagator }: BenchOptions,
  start: (script: string, args: string[]) => BenchProcess,
): Promise<string[]> {
  const names = METRICS_RUNS.map(([provider, variant]) => `${provider}/${variant}` as Run)
  const children = Object.fromEntries(
    METRICS_RUNS.map(([provider, variant]) => [
      `${provider}/${variant}`,
      start('metrics-cost.ts', [provider, variant, propagator]),
    ]),
  ) as Record<Run, BenchProcess>
  for (const name of names) await children[name].ready
  const rows: string[][] = []
  const problems: string[] = []
  const plus = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(2)} µs`
  for (const target of METRICS_TARGETS) {
    for (const name of names) await children[name].call('run', { target, roundMs: 500 })
    const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Run, number[]>
    for (let rep = 0; rep < reps; rep++) {
      for (const name of rotate(names, rep)) {
        samples[name].push(await children[name].call<number>('run', { target, roundMs: durationMs }))
      }
    }
    const deltaOf = (name: Run, base: Run) =>
      median(samples[name].map((value, rep) => value - samples[base][rep]!))
    const idle = deltaOf('none/on', 'none/off')
    const byHand = deltaOf('sdk/by-hand', 'sdk/off')
    const recording = deltaOf('sdk/on', 'sdk/off')
    // With spans: false, axios keeps its response interceptor for the metrics: a promise step.
    const limit = target === 'axios-spans-off' ? undefined : NEAR_ZERO_US
    if (limit !== undefined && idle > limit) {
      problems.push(`${METRICS_LABELS[target]}: metrics cost ${plus(idle)} with no MeterProvider`)
    }
    rows.push([
      METRICS_LABELS[target],
      `${median(samples['none/off']).toFixed(1)} µs`,
      plus(idle),
      limit === undefined ? 'a response interceptor' : `≤ +${limit} µs ${idle <= limit ? 'met' : 'MISSED'}`,
      `${median(samples['sdk/off']).toFixed(1)} µs`,
      plus(byHand),
      plus(recording),
      plus(recording - byHand),
    ])
  }
  for (const child of Object.values(children)) child.stop()
  console.log(
    '\n### HTTP metrics: CPU per call without I/O (deltas against metrics: false, same repetition; medians)\n',
  )
  console.log(
    markdownTable(
      [
        'adapter',
        'no MeterProvider: metrics off',
        'metrics on',
        'target',
        'SDK MeterProvider: metrics off',
        'by hand: histogram.record',
        'metrics on',
        'on − by hand',
      ],
      rows,
    ),
  )
  console.log(
    '\n"By hand" times the call and records the same attributes with histogram.record (and, for the ' +
      'server, http.server.active_requests up and down) into the same SDK MeterProvider (bench/metrics-cost.ts).',
  )
  return problems
}
