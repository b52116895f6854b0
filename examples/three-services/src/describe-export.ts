import type { ExportSummary } from './export-tally'

/**
 * The one line `pnpm demo` prints about the OTLP export: how many spans went where and, only when
 * every one of them arrived, where to see the trace in Jaeger.
 *
 * @example
 * describeExport({ exported: 13, failed: 0 }, 'http://localhost:4318/v1/traces', traceId)
 * // 'exported 13 spans over OTLP to http://localhost:4318/v1/traces; in Jaeger: http://localhost:16686/trace/…'
 */
export function describeExport(summary: ExportSummary, endpoint: string, traceId: string): string {
  const { exported, failed, error } = summary
  if (failed === 0)
    return `exported ${exported} spans over OTLP to ${endpoint}; in Jaeger: http://localhost:16686/trace/${traceId}`
  return `OTLP: ${failed} of ${exported + failed} spans not exported to ${endpoint} (${error ?? 'export failed'})`
}
