/**
 * Fastify and Hono requests without a socket (lib/no-io-framework.ts) counted in instructions,
 * each adapter against its explicit peer in the same run: the counted verdict of the framework
 * targets, whose timed loopback rows move by more than the gap between the two.
 */

import type { FrameworkMode } from './framework-apps'
import { instructionsPerCall } from './instructions'
import { COUNTED_FRAMEWORKS } from './no-io-framework'
import { count, markdownTable } from './report'
import type { Targets } from './targets'
import { twoAtATime } from './two-at-a-time'
import { FRAMEWORK_PEERS } from './variants'

const MODES: readonly FrameworkMode[] = ['bare', 'ours', 'peer']
const ADAPTERS = { fastify: 'fastifyTracing', hono: 'honoTracing' } as const

/**
 * Counts bare, ours and the peer for each framework (`warmUp` uncounted requests, then the
 * cheapest of `windows` windows of `requests`), adds a target each (ours ≤ the peer) when
 * `targets` is given, and prints the table.
 *
 * @example
 * await countFrameworks('otel', { warmUp: 5000, requests: 5000, windows: 4 }, targets)
 */
export async function countFrameworks(
  propagator: string,
  { warmUp, requests, windows }: { warmUp: number; requests: number; windows: number },
  targets?: Targets,
): Promise<void> {
  const jobs = COUNTED_FRAMEWORKS.flatMap((framework) =>
    MODES.map(
      (mode) => () =>
        instructionsPerCall(['framework', framework, mode, propagator], warmUp, requests, windows),
    ),
  )
  const counted = await twoAtATime(jobs)
  const rows = COUNTED_FRAMEWORKS.map((framework, i) => {
    const [bare, ours, peer] = counted.slice(i * MODES.length, (i + 1) * MODES.length) as [
      number,
      number,
      number,
    ]
    targets?.add({
      target: `${ADAPTERS[framework]}, no I/O, instructions`,
      unit: 'instructions',
      ours: ours - bare,
      reference: peer - bare,
      referenceName: FRAMEWORK_PEERS[framework],
      limit: 1,
    })
    return [
      framework,
      count(bare),
      `+${count(ours - bare)}`,
      `+${count(peer - bare)}`,
      FRAMEWORK_PEERS[framework],
      `${((ours - bare) / (peer - bare)).toFixed(2)}×`,
    ]
  })
  console.log(
    `\n### Framework requests without a socket, instructions per request (callgrind; the cheapest of ${windows} window(s) of ${count(requests)} after ${count(warmUp)}; lib/no-io-framework.ts)\n`,
  )
  console.log(
    markdownTable(['framework', 'bare', 'ours over bare', 'peer over bare', 'peer', 'ours / peer'], rows),
  )
}
