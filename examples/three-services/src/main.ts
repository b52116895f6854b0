import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api'
import { renderSummary } from './render-summary'
import { renderTree } from './render-tree'
import { runDemo } from './run-demo'

// `pnpm demo` draws the trace; `pnpm demo --json` prints only the spans, as one JSON array.
// Diagnostics (an unreachable OTLP endpoint, a dropped baggage key) go to stderr, never stdout.
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN)

const json = process.argv.includes('--json')
const result = await runDemo()

if (json) {
  process.stdout.write(`${JSON.stringify(result.spans)}\n`)
} else {
  const endpoint = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_ENDPOINT
  console.log(`GET /checkout → ${result.status}\n`)
  console.log(renderTree(result.spans))
  console.log()
  console.log(renderSummary(result))
  if (endpoint)
    console.log(
      `\nexported over OTLP to ${endpoint}; in Jaeger: http://localhost:16686/trace/${result.traceId}`,
    )
}
if (result.status !== 200) process.exitCode = 1
