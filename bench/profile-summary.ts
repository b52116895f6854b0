/**
 * `node --import tsx bench/profile-summary.ts [dir]`: reads the CPU profiles `pnpm bench
 * --cpu-prof` wrote (bench/profiles by default) and prints, per client process, the CPU per
 * request (self time, warm-ups included) spent in each part of the stack: garbage collection,
 * undici, Node's promise and async-context machinery, the OpenTelemetry SDK, otel-http, the rest.
 * `--top=N <process>` instead lists the N functions with the most self time in one process's
 * profile (any process, e.g. `hot-path-fetch-spans-on-otel-node24`), as shares of its busy time.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { markdownTable } from './lib/report'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string }
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const CATEGORIES: [string, (frame: ProfileNode['callFrame']) => boolean][] = [
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['(program)', (f) => f.functionName === '(program)'],
  ['undici', (f) => f.url.includes('internal/deps/undici') || f.url.includes('/undici/')],
  [
    'async context',
    (f) =>
      /async_hooks|async_local_storage|async_context_frame/.test(f.url) ||
      f.url.includes('context-async-hooks'),
  ],
  ['promises, microtasks', (f) => /task_queues|timers|promise/.test(f.url) || f.functionName === 'then'],
  ['otel-http', (f) => f.url.includes('/packages/') && f.url.includes('/dist/')],
  ['instrumentation', (f) => f.url.includes('@opentelemetry/instrumentation')],
  ['OTel SDK + API', (f) => f.url.includes('@opentelemetry/')],
  [
    'node net/http/streams',
    (f) => /node:(net|_http|http|stream|internal\/(stream|net|http|url|streams))/.test(f.url),
  ],
  ['other', () => true],
]

const flags = process.argv.slice(2).filter((arg) => arg.startsWith('--'))
const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
const top = Number(flags.find((flag) => flag.startsWith('--top='))?.slice(6) ?? 0)
const dir = top ? 'bench/profiles' : (positional[0] ?? 'bench/profiles')
const names = readdirSync(dir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name.startsWith('client-'))
  .map((entry) => entry.name)
const requests: Record<string, number> = {}
for (const file of readdirSync(dir).filter((file) => /^requests-node\d+\.json$/.test(file))) {
  Object.assign(requests, JSON.parse(readFileSync(join(dir, file), 'utf8')))
}

const rows: string[][] = []
/** The main thread's profile: the one with the most samples (tsx's loader thread writes one too). */
function mainProfile(name: string): Profile {
  const profiles = readdirSync(join(dir, name))
    .filter((file) => file.endsWith('.cpuprofile'))
    .map((file) => JSON.parse(readFileSync(join(dir, name, file), 'utf8')) as Profile)
  const busy = (profile: Profile) => profile.nodes.length
  return profiles.sort((a, b) => busy(b) - busy(a))[0]!
}

if (top) {
  const profile = mainProfile(positional[0]!)
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map<string, number>()
  let busy = 0
  profile.samples.forEach((id, index) => {
    const { functionName, url } = byId.get(id)!.callFrame
    if (functionName === '(idle)') return
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/packages\//, 'packages/')}`
    const delta = profile.timeDeltas[index] ?? 0
    self.set(key, (self.get(key) ?? 0) + delta)
    busy += delta
  })
  const rows = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, micros]) => [key, `${((micros / busy) * 100).toFixed(1)}%`])
  console.log(markdownTable(['function (self time)', 'share of busy time'], rows))
  process.exit(0)
}

for (const name of names.sort()) {
  const count = requests[name]
  if (!count) continue
  const profile = mainProfile(name)
  const category = new Map<number, string>()
  for (const node of profile.nodes) {
    const frame = node.callFrame
    category.set(
      node.id,
      frame.functionName === '(idle)' ? 'idle' : CATEGORIES.find(([, is]) => is(frame))![0],
    )
  }
  const micros = new Map<string, number>()
  profile.samples.forEach((id, index) => {
    const key = category.get(id)!
    micros.set(key, (micros.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0))
  })
  const busy = [...micros].filter(([key]) => key !== 'idle').reduce((sum, [, value]) => sum + value, 0)
  rows.push([
    name,
    String(count),
    (busy / count).toFixed(1),
    ...CATEGORIES.map(([key]) => ((micros.get(key) ?? 0) / count).toFixed(1)),
  ])
}
console.log(
  markdownTable(['process', 'requests', 'busy µs/req', ...CATEGORIES.map(([key]) => `${key} µs/req`)], rows),
)
