import { DiagLogLevel, diag } from '@opentelemetry/api'
import { describeExport } from './describe-export'
import { oneLineDiagLogger } from './one-line-diag-logger'
import { otlpTracesUrl, probeOtlp } from './otlp-endpoint'
import { renderSummary } from './render-summary'
import { renderTree } from './render-tree'
import { runDemo } from './run-demo'

// `pnpm demo` draws the trace; `pnpm demo --json` prints only the spans, as one JSON array.
// Diagnostics (an unreachable OTLP endpoint, a dropped baggage key) go to stderr, never stdout.
diag.setLogger(oneLineDiagLogger(), DiagLogLevel.WARN)

const json = process.argv.includes('--json')

// Export only to an endpoint that answers: otherwise say so once, now, and run without it.
const endpoint = otlpTracesUrl()
const unreachable = endpoint === undefined ? undefined : await probeOtlp(endpoint)
if (endpoint !== undefined && unreachable !== undefined)
  console.error(
    `OTLP endpoint ${endpoint} unreachable (${unreachable}): spans are not exported. Start Jaeger (examples/three-services/README.md) or unset OTEL_EXPORTER_OTLP_ENDPOINT.`,
  )
const result = await runDemo({ otlp: endpoint !== undefined && unreachable === undefined })

if (json) {
  process.stdout.write(`${JSON.stringify(result.spans)}\n`)
} else {
  console.log(`GET /checkout → ${result.status}\n`)
  console.log(renderTree(result.spans))
  console.log()
  console.log(renderSummary(result))
}
if (endpoint !== undefined && result.otlp) {
  // On stderr with --json, so that stdout stays one JSON array.
  const line = describeExport(result.otlp, endpoint, result.traceId)
  if (json) console.error(line)
  else console.log(`\n${line}`)
}
if (result.status !== 200) process.exitCode = 1
