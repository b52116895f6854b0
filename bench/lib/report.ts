import type { LoadResult } from './load'
import { median } from './stats'
import { SPAN_VARIANTS, type VariantName } from './variants'

/** What the server process counted during one segment. */
export interface ServerCounts {
  requests: number
  traceparent: number
  baggage: number
  spans: number
  cpuMicros: number
}

/** One measured segment: the client's view and the server's. */
export interface Segment {
  load: LoadResult & { spansPerRequest?: number }
  server: ServerCounts
}

const throughput = (segment: Segment) => segment.load.requests / segment.load.seconds

/** Medians over repetitions of a variant's numbers against the baseline of the same repetition. */
export interface Comparison {
  throughput: number
  p50: number
  p99: number
  cpu: number
  /** Client CPU per request as a ratio to the baseline's: comparable across machines of different speed. */
  cpuRatio: number
  serverCpu: number
  serverCpuRatio: number
}

/** Compares `segments` with `baseline` repetition by repetition, then takes medians. */
export function compare(segments: Segment[], baseline: Segment[]): Comparison {
  const paired = (f: (segment: Segment, base: Segment) => number) =>
    median(segments.map((segment, rep) => (baseline[rep] ? f(segment, baseline[rep]) : Number.NaN)))
  return {
    throughput: paired((s, b) => throughput(s) / throughput(b)),
    p50: paired((s, b) => s.load.p50 / b.load.p50),
    p99: paired((s, b) => s.load.p99 / b.load.p99),
    cpu: paired((s, b) => s.load.cpuPerRequest - b.load.cpuPerRequest),
    cpuRatio: paired((s, b) => s.load.cpuPerRequest / b.load.cpuPerRequest),
    serverCpu: paired((s, b) => serverCpuPerRequest(s) - serverCpuPerRequest(b)),
    serverCpuRatio: paired((s, b) => serverCpuPerRequest(s) / serverCpuPerRequest(b)),
  }
}

const serverCpuPerRequest = (segment: Segment) =>
  segment.server.cpuMicros / Math.max(1, segment.server.requests)

/** The baseline's own numbers (medians over repetitions). */
export function absolute(segments: Segment[]) {
  return {
    throughput: median(segments.map(throughput)),
    p50: median(segments.map((s) => s.load.p50)),
    p99: median(segments.map((s) => s.load.p99)),
    cpu: median(segments.map((s) => s.load.cpuPerRequest)),
    serverCpu: median(segments.map(serverCpuPerRequest)),
  }
}

/**
 * What each variant must have put on the wire and in the exporter; a variant that did not is
 * not measuring what its name says. Returns a problem description, or undefined.
 */
export function checkSegments(
  variant: VariantName | 'traced-server',
  segments: Segment[],
): string | undefined {
  for (const { load, server } of segments) {
    if (load.errors > 0) return `${load.errors} failed requests (${load.firstError})`
    const headersSent = server.traceparent / Math.max(1, server.requests)
    const baggageSent = server.baggage / Math.max(1, server.requests)
    const expectHeaders = variant !== 'bare'
    if (expectHeaders ? headersSent < 1 || baggageSent < 1 : headersSent > 0) {
      return `traceparent on ${(headersSent * 100).toFixed(0)}%, baggage on ${(baggageSent * 100).toFixed(0)}% of requests`
    }
    const spans =
      variant === 'traced-server' ? server.spans / Math.max(1, server.requests) : load.spansPerRequest
    const expectSpans = variant === 'traced-server' || SPAN_VARIANTS.includes(variant)
    if (spans !== undefined && (expectSpans ? Math.abs(spans - 1) > 0.01 : spans > 0)) {
      return `${spans.toFixed(2)} spans exported per request`
    }
  }
  return undefined
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–')
/** A count rounded, with thousands separators (instructions). */
export const count = (value: number) => Math.round(value).toLocaleString('en')
/** A count added over a reference, signed: `+1,915`, `-41`. */
export const plusCount = (value: number) => `${value >= 0 ? '+' : ''}${count(value)}`

export const ratio = (value: number) => `${fixed(value, 2)}×`
const signed = (value: number, digits: number) => `${value >= 0 ? '+' : ''}${fixed(value, digits)}`
/** A CPU delta in µs with the relative change, e.g. `+4.1 µs (+6%)`. */
export const delta = (micros: number, ratio: number) =>
  `${signed(micros, 1)} µs (${signed((ratio - 1) * 100, 0)}%)`
export const micros = (value: number) =>
  value >= 1000 ? `${fixed(value / 1000, 2)} ms` : `${fixed(value, 0)} µs`

/** A Markdown table (pastes into the README as is). */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => row[column]?.length ?? 0)),
  )
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`
  return [
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n')
}
