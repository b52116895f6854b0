/**
 * The hot-path process: `hot-path.ts <client> <variant> <propagator>`. Measures the CPU one call
 * of the no-I/O hot path costs (lib/hot-calls.ts): the client's own code plus the adapter's,
 * the part the I/O benchmark cannot resolve below a few µs on a noisy machine.
 */
import { type HotVariant, hotCall, spansPerCall } from '../lib/hot-calls'
import { serveRequests } from '../lib/ipc'
import { cpuPerCall } from '../lib/no-io'
import { type PropagatorChoice, requestContext, setupSdk } from '../lib/sdk'
import type { ClientName } from '../lib/variants'

const [client, variant, propagator] = process.argv.slice(2) as [ClientName, HotVariant, PropagatorChoice]

const sdk = setupSdk(propagator)
const ctx = requestContext()
const call = hotCall(client, variant)
const expectedSpans = spansPerCall(variant)

serveRequests(
  async (message) => {
    const { perCall, calls } = await cpuPerCall(
      ctx,
      call,
      (message as unknown as { roundMs: number }).roundMs,
    )
    // Spans reach the exporter between rounds, off the clock.
    const spans = await sdk.exportedSpans()
    if (spans !== calls * expectedSpans) {
      throw new Error(
        `${client} ${variant}: ${calls} calls ended ${spans} spans, expected ${calls * expectedSpans}`,
      )
    }
    return perCall
  },
  { ready: true },
)
