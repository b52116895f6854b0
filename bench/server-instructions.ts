/**
 * `node --import tsx bench/server-instructions.ts [--propagator=otel|otel-http] [--requests=N]
 * [--frameworks]`: instructions per server request without I/O (lib/no-io-server.ts, counted by
 * callgrind like `--parts=instructions`), over bare, for the SDK floor by hand and the adapters
 * measured against it, with each adapter's ratio to the floor; then Fastify and Hono against
 * their peers (lib/framework-instructions.ts; `--frameworks`: those alone). Run by hand: ~2 min
 * per variant under load.
 */
import { countFrameworks } from './lib/framework-instructions'
import { countingUnavailable, instructionsPerCall, STEADY_WINDOWS } from './lib/instructions'
import { SERVER_VARIANTS } from './lib/no-io-server'
import { count, markdownTable } from './lib/report'

const flag = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)
const propagator = flag('propagator') ?? 'otel'
const requests = Number(flag('requests') ?? 5000)
const frameworksOnly = process.argv.includes('--frameworks')

const unavailable = countingUnavailable()
if (unavailable) throw new Error(unavailable)
if (!frameworksOnly) {
  const counts = await Promise.all(
    SERVER_VARIANTS.map((variant) =>
      instructionsPerCall(['server', variant, propagator], requests, requests),
    ),
  )
  const [bare, floor, sameAttributes] = [counts[0]!, counts[1]! - counts[0]!, counts[2]! - counts[0]!]
  console.log(
    markdownTable(
      [
        'server',
        'instructions per request',
        'over bare',
        'ratio to the floor',
        'to the floor with the same attributes',
      ],
      SERVER_VARIANTS.map((variant, i) => {
        const added = counts[i]! - bare
        return [
          variant,
          count(counts[i]!),
          i === 0 ? '' : `+${count(added)}`,
          i < 2 ? '' : `${(added / floor).toFixed(2)}×`,
          i < 3 ? '' : `${(added / sameAttributes).toFixed(2)}×`,
        ]
      }),
    ),
  )
}
await countFrameworks(propagator, { warmUp: requests, requests, windows: STEADY_WINDOWS })
