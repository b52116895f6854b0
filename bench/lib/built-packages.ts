import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The packages the benchmark loads. */
export const PACKAGES = ['core', 'fetch', 'undici', 'axios', 'server']

export const packageDir = (name: string) => fileURLToPath(new URL(`../../packages/${name}/`, import.meta.url))

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs)
  }
  return newest
}

function isStale(name: string): boolean {
  const output = `${packageDir(name)}dist/index.js`
  return !existsSync(output) || statSync(output).mtimeMs < newestSource(`${packageDir(name)}src`)
}

/** The tsconfig that points the child processes' `@otel-http/*` imports at `packages/*\/dist`. */
export const DIST_TSCONFIG = fileURLToPath(new URL('../tsconfig.dist.json', import.meta.url))

/**
 * Builds the packages whose `dist` is missing or older than their sources, so the benchmark
 * measures what users install. Build output goes to stderr, keeping stdout for the tables.
 */
export function buildStalePackages(log: (line: string) => void): void {
  const stale = PACKAGES.filter(isStale)
  if (stale.length === 0) return
  log(`building ${stale.map((name) => `@otel-http/${name}`).join(', ')} …`)
  const filters = stale.flatMap((name) => ['--filter', `@otel-http/${name}`])
  const options = {
    stdio: ['ignore', process.stderr, 'inherit'] as ['ignore', NodeJS.WriteStream, 'inherit'],
  }
  try {
    execFileSync('pnpm', [...filters, 'build'], options)
  } catch (error) {
    // Run as `node bench/run.ts` on a machine without a global pnpm: the README's own way in.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    execFileSync('npx', ['-y', 'pnpm@10', ...filters, 'build'], options)
  }
}
