// A minimal stand-in for the Lambda runtime, run as a child process by `invokeLambda`: the event
// arrives on stdin as JSON (the bytes Lambda would hand the function), the handler runs once, and
// the spans this "function" recorded go back to the demo as JSON on stdout. Nothing but the event
// crosses the process boundary: the trace continues only if the message attributes carry it.
import { randomUUID } from 'node:crypto'
import { text } from 'node:stream/consumers'
import { DiagLogLevel, diag } from '@opentelemetry/api'
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base'
import type { SQSEvent } from 'aws-lambda'
import { toDemoSpan } from '../demo-span'
import { ExportTally } from '../export-tally'
import { oneLineDiagLogger } from '../one-line-diag-logger'
import { createServiceProvider } from '../service-tracing'
import { SpanTracker } from '../span-tracker'
import { installW3cGlobals } from '../w3c-globals'
import { createReceiptsHandler } from './receipts-handler'

diag.setLogger(oneLineDiagLogger(), DiagLogLevel.WARN)
installW3cGlobals()

// Init, done once per instance before any event arrives.
const notifier = process.env.NOTIFIER_URL
if (!notifier) throw new Error('NOTIFIER_URL is not set')
const collector = new InMemorySpanExporter()
const tracker = new SpanTracker()
// The demo decides whether to export (it checks the endpoint first), not the OTLP variables alone.
const otlp = process.env.DEMO_OTLP === '1' ? new ExportTally() : undefined
otlp?.handleGlobalErrors()
const tracerProvider = createServiceProvider('receipts', { collector, tracker, otlp })
const handler = createReceiptsHandler({ tracerProvider, notifier })

// Tell the demo this instance is warm (the IPC channel carries nothing else), then wait.
process.send?.('ready')
process.disconnect?.()

// The invocation: an empty stdin means the demo had no event to deliver.
const input = await text(process.stdin)
let result: unknown = null
if (input !== '') {
  const deadline = Date.now() + 30_000
  result = await handler(
    JSON.parse(input) as SQSEvent,
    {
      awsRequestId: randomUUID(),
      functionName: 'receipts',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:receipts',
      getRemainingTimeInMillis: () => deadline - Date.now(),
    } as Parameters<typeof handler>[1],
  )
  await tracker.idle(10_000)
}
const spans = collector.getFinishedSpans().map(toDemoSpan)
// A failed export rejects the shutdown; the tally has counted it for the summary.
await (otlp ? tracerProvider.shutdown().catch(otlp.report) : tracerProvider.shutdown())
process.stdout.write(JSON.stringify({ result, spans, otlp: otlp?.summary() }))
