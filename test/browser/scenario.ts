/** How one request ended, as the page saw it. */
export interface Outcome {
  ok: boolean
  status?: number
  /** axios's error code, or `${name}: ${message}` of fetch's rejection. */
  error?: string
}

/** A finished span, as the page's in-memory exporter holds it. */
export interface ScenarioSpan {
  name: string
  kind: number
  traceId: string
  spanId: string
  parentSpanId: string | undefined
  url: string | undefined
  errorType: string | undefined
}

export interface ScenarioResult {
  pageSpanId: string
  /** By `fetch <url>` / `axios <url>`. */
  outcomes: Record<string, Outcome>
  spans: ScenarioSpan[]
  /** What reached `diag` at warn level and above. */
  warnings: string[]
}
