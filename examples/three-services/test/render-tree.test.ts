import { describe, expect, it } from 'vitest'
import type { DemoSpan } from '../src/demo-span'
import { renderTree } from '../src/render-tree'

const span = (
  spanId: string,
  parentSpanId: string | null,
  name: string,
  start: number,
  end: number,
): DemoSpan => ({
  traceId: 't'.repeat(32),
  spanId,
  parentSpanId,
  name,
  kind: parentSpanId ? 'CLIENT' : 'SERVER',
  service: 'svc',
  startTimeUnixNano: String(1_000_000_000_000 + start * 1_000_000),
  endTimeUnixNano: String(1_000_000_000_000 + end * 1_000_000),
  attributes: name === 'orphan' ? {} : { user_id: 'alice' },
  links: [],
})

describe('renderTree', () => {
  const lines = renderTree([
    span('c2', 'root', 'second', 50, 100),
    span('root', null, 'root', 0, 100),
    span('c1', 'root', 'first', 0, 50),
    span('g1', 'c1', 'grandchild', 10, 20),
  ]).split('\n')

  it('draws one line per span under a header, indented by parentage, children in start order', () => {
    expect(lines).toHaveLength(5)
    const labelWidth = lines[0]!.indexOf('SERVICE')
    expect(lines.slice(1).map((l) => l.slice(0, labelWidth).trimEnd())).toEqual([
      'root',
      '├─ first',
      '│  └─ grandchild',
      '└─ second',
    ])
  })

  it('places bars on one time axis shared by all spans', () => {
    const bars = lines.slice(1).map((l) => /\|([ █]+)\|/.exec(l)![1]!)
    expect(bars[0]).toBe('█'.repeat(32))
    expect(bars[1]).toBe('█'.repeat(16) + ' '.repeat(16))
    expect(bars[3]).toBe(' '.repeat(16) + '█'.repeat(16))
    expect(bars[2]!.trim().length).toBeGreaterThan(0)
    expect(bars[2]!.indexOf('█')).toBeGreaterThan(0)
  })

  it('shows duration and user_id, or that user_id is missing', () => {
    expect(lines[1]).toMatch(/100\.0 ms {2}alice$/)
    const orphan = renderTree([span('x', 'gone', 'orphan', 0, 1)]).split('\n')[1]!
    expect(orphan).toMatch(/^orphan\b.*\(none\)$/)
  })
})
