/**
 * Real requests over loopback counted in instructions: the client process runs under callgrind
 * (instruction-count.ts `loopback`), the bare server in a process of its own, not counted. What
 * the timed loopback rows measure in CPU time, here in user-space instructions per request (the
 * kernel's share is not counted).
 *
 * Split, because two parts of a window are lumpy: V8 still compiles after thousands of requests
 * (whole optimisation jobs of 10–50 million instructions, landing in one window and not the next),
 * and a scavenge costs 30–130 million, so a window of 1 000 requests holds 0–5 of them. Without
 * those two, what the client code itself runs is the same to ≈ 0.2 % from window to window on
 * Node 20 (c = 1 and c = 32, windows 5–12 of 1 000); that is the figure judged, the median of the
 * windows (a window holding the incremental marking that the response bodies' external memory
 * starts, the same in every variant, is left out), with the garbage collection per request beside it.
 */

import { type WindowSplit, windowsPerCall } from './instructions'
import { startProcess } from './ipc'
import type { PropagatorChoice } from './sdk'
import { median } from './stats'
import type { ClientName, VariantName } from './variants'

interface Arrived {
  requests: number
  traceparent: number
  baggage: number
}

/** Instructions per request, means over the counted windows. */
export interface LoopbackCount {
  /** Everything but V8's compiling and collecting: the code the request ran (median of the windows). */
  running: number
  /** Garbage collection per request (coarse: whole scavenges per window). */
  gc: number
  /** The largest minus the smallest `running` of the windows: how steady the count was. */
  spread: number
}

export interface LoopbackWindows {
  concurrency: number
  warmUp: number
  windows: number
  requests: number
}

function summarise(windows: WindowSplit[]): LoopbackCount {
  const running = windows.map(({ total, compile, gc }) => total - compile - gc)
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length
  return {
    running: median(running),
    gc: mean(windows.map(({ gc }) => gc)),
    spread: Math.max(...running) - Math.min(...running),
  }
}

/**
 * Instructions per request of `client`'s `variant` (lib/clients/) against a bare loopback
 * server; throws if the server did not receive what the variant sends (trace headers on every
 * request but the bare ones).
 */
export async function countLoopback(
  client: ClientName,
  variant: VariantName,
  propagator: PropagatorChoice,
  { concurrency, warmUp, windows, requests }: LoopbackWindows,
): Promise<LoopbackCount> {
  const server = startProcess('server.ts', ['bare', propagator])
  try {
    const { port } = (await server.ready) as { port: number }
    await server.call('reset')
    const counted = await windowsPerCall(
      ['loopback', client, variant, propagator, String(port), String(concurrency)],
      windows,
      warmUp,
      requests,
    )
    const arrived = await server.call<Arrived>('read')
    const total = warmUp + windows * requests
    const traced = variant === 'bare' ? 0 : total
    if (arrived.requests !== total || arrived.traceparent !== traced || arrived.baggage !== traced) {
      throw new Error(`${client} ${variant}: sent ${total}, server saw ${JSON.stringify(arrived)}`)
    }
    return summarise(counted)
  } finally {
    server.stop()
  }
}
