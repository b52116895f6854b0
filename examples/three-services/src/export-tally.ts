import { diag } from '@opentelemetry/api'
import {
  type ExportResult,
  ExportResultCode,
  loggingErrorHandler,
  setGlobalErrorHandler,
} from '@opentelemetry/core'
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base'
import { firstLine } from './otlp-endpoint'

/** How an OTLP export went, in numbers the demo prints as one line. */
export interface ExportSummary {
  /** Spans the endpoint accepted. */
  exported: number
  /** Spans whose export failed. */
  failed: number
  /** The first failure, on one line; e.g. `HTTP 404 Not Found`. */
  error?: string
}

/**
 * Counts what the exporters it wraps send and fail to send, so that the demo can say in one line
 * whether the trace reached the OTLP endpoint, and recognise the failures it has already counted
 * when the span processor reports them again to the global error handler.
 *
 * @example
 * const tally = new ExportTally()
 * new BatchSpanProcessor(tally.wrap(new OTLPTraceExporter()))
 * // …after shutdown:
 * tally.summary() // { exported: 12, failed: 0 }
 */
export class ExportTally {
  private exported = 0
  private failed = 0
  private error: string | undefined
  private readonly counted = new WeakSet<object>()

  /** An exporter that forwards to `exporter` and counts each batch's result. */
  wrap(exporter: SpanExporter): SpanExporter {
    return {
      export: (spans: ReadableSpan[], done: (result: ExportResult) => void) =>
        exporter.export(spans, (result) => {
          if (result.code === ExportResultCode.SUCCESS) this.exported += spans.length
          else this.fail(spans.length, result.error)
          done(result)
        }),
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    }
  }

  /** Adds what another process counted (the Lambda's exporter). */
  add(other: ExportSummary): void {
    this.exported += other.exported
    if (other.failed > 0) this.fail(other.failed, other.error)
  }

  /** Whether `error` is an export failure this tally has already counted. */
  has(error: unknown): boolean {
    return typeof error === 'object' && error !== null && this.counted.has(error)
  }

  /**
   * Routes the SDK's global error handler through this tally until the returned function is
   * called: failures already counted are not reported again, anything else gets one line of
   * `diag.error` instead of the default handler's JSON dump of the error object.
   */
  handleGlobalErrors(): () => void {
    setGlobalErrorHandler(this.report)
    return () => setGlobalErrorHandler(loggingErrorHandler())
  }

  /**
   * For an error from the SDK (a flush, a shutdown): a failure this tally counted is already in
   * the summary; anything else gets one `diag.error` line.
   */
  readonly report = (error: unknown): void => {
    if (!this.has(error)) diag.error(`OpenTelemetry: ${firstLine(error)}`)
  }

  summary(): ExportSummary {
    return this.error === undefined
      ? { exported: this.exported, failed: this.failed }
      : { exported: this.exported, failed: this.failed, error: this.error }
  }

  private fail(spans: number, error: unknown): void {
    this.failed += spans
    if (typeof error === 'object' && error !== null) this.counted.add(error)
    this.error ??= describeExportError(error)
  }
}

/** `HTTP 404 Not Found`, `connect ECONNREFUSED 127.0.0.1:4318`: the exporter's error in brief. */
function describeExportError(error: unknown): string {
  if (error === undefined || error === null) return 'export failed'
  const code = (error as { code?: unknown }).code
  const message = firstLine(error)
  return typeof code === 'number' ? `HTTP ${code} ${message}` : message
}
