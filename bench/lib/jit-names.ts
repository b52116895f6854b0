/**
 * Names for the code callgrind sees only as addresses: V8 compiles JavaScript at run time, outside
 * any object file, so callgrind lists it as `0x…` in `???`. Node's `--perf-basic-prof` writes
 * `/tmp/perf-<pid>.map` (`<start> <size> <name>`, hex) as it compiles: `JS:^startSpan
 * /tmp/bundle.cjs:64651:16`, where `~` is the interpreter, `^` Sparkplug, `+` Maglev and `*`
 * Turbofan. The bundle's line then says which module the function came from (esbuild writes
 * `// <path>` before each module it inlines).
 */
import { readFileSync } from 'node:fs'

interface MapEntry {
  start: number
  end: number
  name: string
}

/** An address → name lookup over a perf map; a later entry for the same code wins (code is moved and reused). */
export function perfMap(file: string): (address: number) => string | undefined {
  const entries: MapEntry[] = []
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line)
    if (!match) continue
    const start = Number.parseInt(match[1]!, 16)
    entries.push({ start, end: start + Number.parseInt(match[2]!, 16), name: match[3]! })
  }
  // Sorted by start, the later of two equal starts last, so a search finds the newest.
  const order = entries.map((entry, index) => ({ entry, index }))
  order.sort((a, b) => a.entry.start - b.entry.start || a.index - b.index)
  const sorted = order.map(({ entry }) => entry)
  return (address) => {
    let low = 0
    let high = sorted.length - 1
    let found = -1
    while (low <= high) {
      const middle = (low + high) >> 1
      if (sorted[middle]!.start <= address) {
        found = middle
        low = middle + 1
      } else high = middle - 1
    }
    // Walk back over earlier starts whose code still covers the address (one function's code inside another's range is rare).
    for (let i = found; i >= 0 && i > found - 8; i--) {
      const entry = sorted[i]!
      if (address < entry.end) return entry.name
    }
    return undefined
  }
}

/** Which module each line of an esbuild bundle belongs to: the last `// <path>` comment above it. */
export function bundleModules(bundleFile: string): (line: number) => string {
  const starts: { line: number; path: string }[] = []
  readFileSync(bundleFile, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const match = /^\/\/ (\S+\.(?:[cm]?js|ts|json))$/.exec(text)
      if (match) starts.push({ line: index + 1, path: match[1]! })
    })
  return (line) => {
    let path = '(bundle)'
    for (const start of starts) {
      if (start.line > line) break
      path = start.path
    }
    return path
  }
}

/** The package a bundled module belongs to: `@otel-http/core`, `@opentelemetry/sdk-trace-base`, `undici`, `bench`. */
export function packageOf(path: string): string {
  const ours = /(?:^|\/)packages\/([^/]+)\//.exec(path)
  if (ours && !path.includes('node_modules/')) return `@otel-http/${ours[1]}`
  const nested = path.lastIndexOf('node_modules/')
  if (nested !== -1) {
    const parts = path.slice(nested + 'node_modules/'.length).split('/')
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!
  }
  if (/(?:^|\/)bench\//.test(path)) return 'bench'
  return path
}
