/**
 * `node --import tsx bench/metrics-instructions.ts [--propagator=otel|otel-http]`: the HTTP metrics
 * calls counted in instructions (the metrics rows of `--parts=instructions`, alone), with their
 * targets. Run by hand; ≈ 25 valgrind runs, two at a time.
 */
import { countMetrics } from './lib/instructions-benchmark'
import { Targets } from './lib/targets'

const propagator =
  process.argv.find((arg) => arg.startsWith('--propagator='))?.slice('--propagator='.length) ?? 'otel'
const targets = new Targets(true)
await countMetrics(propagator, false, targets)
console.log(`\n### Targets (instructions; Node ${process.version})\n`)
console.log(targets.table())
