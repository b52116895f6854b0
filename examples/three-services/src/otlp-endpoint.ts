/**
 * The URL OTLP/HTTP trace exports go to, as `@opentelemetry/exporter-trace-otlp-http` derives it
 * from the standard variables: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as is, otherwise
 * `OTEL_EXPORTER_OTLP_ENDPOINT` plus `/v1/traces`. Undefined when neither is set.
 *
 * @example
 * otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }) // 'http://localhost:4318/v1/traces'
 */
export function otlpTracesUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim()
  if (traces) return traces
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()
  if (!base) return undefined
  return `${base.endsWith('/') ? base : `${base}/`}v1/traces`
}

/**
 * Whether anything answers OTLP/HTTP at `url`: one POST of an empty trace export, bounded by
 * `timeoutMs`. Any HTTP response counts as reachable (a wrong path or a missing token shows up
 * later, in the export summary); a refused connection, an unknown host or no answer in time do
 * not. Resolves to undefined when reachable, otherwise to why not, in a few words
 * (`connection refused`, `no answer within 3 s`).
 *
 * Without this check an unreachable endpoint costs the demo every exporter's retries and
 * timeouts at shutdown, and the user learns of it from a pile of error objects.
 *
 * @example
 * const problem = await probeOtlp('http://127.0.0.1:4318/v1/traces')
 * if (problem) console.error(`OTLP endpoint unreachable (${problem})`)
 */
export async function probeOtlp(url: string, timeoutMs = 3000): Promise<string | undefined> {
  let target: URL
  try {
    target = new URL(url)
  } catch {
    return `${url} is not a URL`
  }
  // `localhost:4318` parses, as a URL of scheme `localhost:`.
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return `${url} is not an http(s) URL`
  try {
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"resourceSpans":[]}',
      signal: AbortSignal.timeout(timeoutMs),
    })
    await response.arrayBuffer()
    return undefined
  } catch (error) {
    return unreachableReason(error, timeoutMs)
  }
}

function unreachableReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer within ${timeoutMs / 1000} s`
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown }) : undefined
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve'
    case 'ECONNRESET':
      return 'the connection was reset'
  }
  return firstLine(cause?.message ?? (error instanceof Error ? error.message : error))
}

/** An error's message on one line: what a summary prints instead of the error object. */
export function firstLine(value: unknown): string {
  const text = value instanceof Error ? value.message : String(value)
  return text.split('\n', 1)[0]!.trim() || 'unknown error'
}
