/**
 * The loopback targets counted in instructions (lib/loopback-instructions.ts): each client's
 * variants against a bare loopback server, the client process under callgrind. The timed loopback
 * rows swing by 2× between runs on this machine; these are the same from run to run.
 */
import { countingUnavailable } from './instructions'
import { countLoopback, type LoopbackCount, type LoopbackWindows } from './loopback-instructions'
import type { BenchOptions } from './options'
import { count, markdownTable, plusCount as plus } from './report'
import type { Targets } from './targets'
import { eachClientVariant } from './two-at-a-time'
import {
  AUTO_INSTRUMENTATION,
  CLIENT_LABELS,
  type ClientName,
  EXPERIMENTS,
  VARIANTS,
  type VariantName,
} from './variants'

export const LOOPBACK_VARIANTS = [
  'bare',
  'hand-inject',
  'spans-off',
  'hand-span',
  'spans-on',
  'auto',
] as const

// Each client's loopback variants, then its experiments (lib/variants.ts).
const variantsOf = (client: ClientName): readonly VariantName[] => [
  ...LOOPBACK_VARIANTS,
  ...VARIANTS.filter((variant) => EXPERIMENTS[variant] === client),
]

/**
 * The client code settles late: at c = 32, fetch's bare request on Node 24 still ran 630 000
 * instructions in the 4 000th–6 000th requests and 286 000–290 000 after (Node 20: settled by the
 * 5 000th); axios's on Node 24 ran 800 000–805 000 up to the 10 000th and 760 000–761 000 from
 * the 11 000th to the 16 000th. Every variant of a client gets the same warm-up and windows, so
 * they are compared at the same point.
 */
const windowsFor = (client: ClientName, quick: boolean): LoopbackWindows =>
  quick
    ? { concurrency: 32, warmUp: 200, windows: 1, requests: 100 }
    : { concurrency: 32, warmUp: client === 'axios' ? 13000 : 7000, windows: 3, requests: 1000 }

/** Counts every client's loopback variants, adds their targets, prints the table. */
export async function loopbackInstructionsBenchmark(
  { clients, propagator, quick }: BenchOptions,
  targets: Targets,
  log: (line: string) => void,
): Promise<string[]> {
  const unavailable = countingUnavailable()
  if (unavailable) {
    log(`loopback instructions: skipped, ${unavailable}`)
    return []
  }
  const counted = await eachClientVariant(clients, variantsOf, (client, variant) =>
    countLoopback(client, variant, propagator, windowsFor(client, quick)),
  )
  const rows: string[][] = []
  for (const client of clients) {
    const of = (variant: VariantName): LoopbackCount => counted(client, variant)
    const over = (variant: VariantName) => of(variant).running - of('bare').running
    const { concurrency, warmUp } = windowsFor(client, quick)
    targets.addClient(`${CLIENT_LABELS[client]}, c = ${concurrency}, loopback, instructions`, over, {
      auto: AUTO_INSTRUMENTATION[client],
      unit: 'instructions',
    })
    for (const variant of variantsOf(client)) {
      const { running, gc, spread } = of(variant)
      rows.push([
        CLIENT_LABELS[client],
        variant,
        count(warmUp),
        count(running),
        variant === 'bare' ? '' : plus(over(variant)),
        count(spread),
        count(gc),
        variant === 'bare' ? '' : plus(gc - of('bare').gc),
      ])
    }
  }
  const { windows, requests, concurrency } = windowsFor('fetch', quick)
  console.log(
    `\n### Loopback requests, instructions per request (callgrind, client process; c = ${concurrency}; ${windows} windows of ${count(requests)} after the warm-up requests; V8 compiling and GC apart)\n`,
  )
  console.log(
    markdownTable(
      [
        'client',
        'variant',
        'warm-up requests',
        'running (median)',
        'over bare',
        'spread of windows',
        'GC (mean)',
        'GC over bare',
      ],
      rows,
    ),
  )
  return []
}
