/**
 * `node --import tsx bench/record-copy.ts` (and with Node 24's binary): what copying a record and
 * then adding headers costs, `{ ...record }` against core's `copyHeaderRecord` and, for fetch's
 * `RequestInit`, the literal that names `headers` before the spread. Node 20's V8 (11.3) takes a
 * slow path when a property is added to an object made by spread; Node 24's does not. Alternating
 * rounds, medians of ns per copy: the measurement behind copyHeaderRecord.
 */
import { copyHeaderRecord } from '../packages/core/src/carriers/record-carrier'
import { median } from './lib/stats'

const headers = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }
const sources = {
  '1 key': () => ({ accept: '*/*' }),
  '3 keys': () => ({ accept: '*/*', 'content-type': 'application/json', 'x-request-id': '42' }),
}

const ways: Record<string, (source: Record<string, unknown>) => Record<string, unknown>> = {
  'spread, then add two': (source) => {
    const copy: Record<string, unknown> = { ...source }
    copy.traceparent = 'a'
    copy.baggage = 'b'
    return copy
  },
  'copyHeaderRecord, then add two': (source) => {
    const copy = copyHeaderRecord(source)
    copy.traceparent = 'a'
    copy.baggage = 'b'
    return copy
  },
  'init: spread, then set headers': (source) => {
    const init: Record<string, unknown> = { ...source }
    init.headers = headers
    return init
  },
  'init: { headers, ...init }, then set': (source) => {
    const init: Record<string, unknown> = { headers: undefined, ...source }
    init.headers = headers
    return init
  },
}

let sink = 0
function round(
  way: (source: Record<string, unknown>) => Record<string, unknown>,
  make: () => Record<string, unknown>,
  calls: number,
) {
  const started = process.cpuUsage()
  for (let i = 0; i < calls; i++) sink += Object.keys(way(make())).length
  const cpu = process.cpuUsage(started)
  return ((cpu.user + cpu.system) * 1000) / calls
}

console.log(`Node ${process.version}: ns of CPU per copy (median of 7 rounds of 200 000)\n`)
console.log(
  `| way | ${Object.keys(sources).join(' | ')} |\n|---|${Object.keys(sources)
    .map(() => '---')
    .join('|')}|`,
)
for (const [name, way] of Object.entries(ways)) {
  const cells = Object.values(sources).map((make) => {
    round(way, make, 200_000)
    return `${median(Array.from({ length: 7 }, () => round(way, make, 200_000))).toFixed(0)} ns`
  })
  console.log(`| ${name} | ${cells.join(' | ')} |`)
}
if (sink === -1) console.log(sink)
