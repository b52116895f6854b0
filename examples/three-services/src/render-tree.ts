import type { DemoSpan } from './demo-span'

const BAR_WIDTH = 32

interface Row {
  span: DemoSpan
  prefix: string
}

/** Depth-first, children in start order; a span whose parent is not in the set is a root. */
function treeRows(spans: readonly DemoSpan[]): Row[] {
  const byStart = [...spans].sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)))
  const ids = new Set(spans.map((s) => s.spanId))
  const children = new Map<string, DemoSpan[]>()
  for (const span of byStart) {
    if (span.parentSpanId === null || !ids.has(span.parentSpanId)) continue
    const siblings = children.get(span.parentSpanId) ?? []
    siblings.push(span)
    children.set(span.parentSpanId, siblings)
  }
  const rows: Row[] = []
  const visit = (span: DemoSpan, lead: string, branch: string) => {
    rows.push({ span, prefix: lead + branch })
    const kids = children.get(span.spanId) ?? []
    const nextLead = lead + (branch === '' ? '' : branch === '└─ ' ? '   ' : '│  ')
    for (const [i, kid] of kids.entries()) visit(kid, nextLead, i === kids.length - 1 ? '└─ ' : '├─ ')
  }
  for (const root of byStart.filter((s) => s.parentSpanId === null || !ids.has(s.parentSpanId)))
    visit(root, '', '')
  return rows
}

/** `start..end` of a span drawn on the trace's time axis, at least one cell wide. */
function bar(span: DemoSpan, t0: bigint, total: bigint): string {
  const cell = (t: bigint) => Number(((t - t0) * BigInt(BAR_WIDTH)) / (total === 0n ? 1n : total))
  const from = Math.min(cell(BigInt(span.startTimeUnixNano)), BAR_WIDTH - 1)
  const to = Math.max(from + 1, cell(BigInt(span.endTimeUnixNano)))
  return ' '.repeat(from) + '█'.repeat(to - from) + ' '.repeat(BAR_WIDTH - to)
}

const millis = (span: DemoSpan): string =>
  `${(Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6).toFixed(1)} ms`

/**
 * The trace as a tree, one line per span: indented by parentage, then service, kind, duration as
 * a bar on a time axis shared by all spans, duration and `user_id`.
 *
 * @example
 * console.log(renderTree(result.spans))
 */
export function renderTree(spans: readonly DemoSpan[]): string {
  if (spans.length === 0) return '(no spans)'
  const t0 = spans.reduce(
    (min, s) => (BigInt(s.startTimeUnixNano) < min ? BigInt(s.startTimeUnixNano) : min),
    BigInt(spans[0]!.startTimeUnixNano),
  )
  const t1 = spans.reduce((max, s) => (BigInt(s.endTimeUnixNano) > max ? BigInt(s.endTimeUnixNano) : max), 0n)
  const rows = treeRows(spans)
  const labels = rows.map((r) => r.prefix + r.span.name)
  const labelWidth = Math.max(4, ...labels.map((l) => l.length))
  const serviceWidth = Math.max(7, ...spans.map((s) => s.service.length))
  const header = `${'SPAN'.padEnd(labelWidth)}  ${'SERVICE'.padEnd(serviceWidth)}  ${'KIND'.padEnd(8)}  ${'TIMELINE'.padEnd(BAR_WIDTH + 2)}  ${'DURATION'.padStart(9)}  USER_ID`
  const lines = rows.map((row, i) => {
    const userId = row.span.attributes.user_id
    return [
      labels[i]!.padEnd(labelWidth),
      row.span.service.padEnd(serviceWidth),
      row.span.kind.padEnd(8),
      `|${bar(row.span, t0, t1 - t0)}|`,
      millis(row.span).padStart(9),
      userId === undefined ? '(none)' : String(userId),
    ].join('  ')
  })
  return [header, ...lines].join('\n')
}
