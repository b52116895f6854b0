/**
 * Which OpenTelemetry SDK and undici the bench processes load (`--stack`): `sdk2`, the
 * repository's own (SDK 2, undici 7); `sdk3`, today's stack on Node ≥ 22 (SDK 3, undici 8),
 * pinned by `bench/stacks/sdk3/package-lock.json` and installed with `npm ci` outside the
 * repository. Every child process then resolves the stack's packages instead of the repository's
 * (lib/stack-hooks.ts under tsx, the esbuild plugin of lib/instructions.ts in the counted bundle),
 * our built packages included: one `@opentelemetry/api` in the process.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { delimiter, dirname, join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { NODE_CACHE } from './node-binary'

export const STACKS = ['sdk2', 'sdk3'] as const
export type StackName = (typeof STACKS)[number]

/** Set by run.ts for its children: the installed stack directory (unset: the repository's packages). */
export const STACK_DIR_ENV = 'OTEL_HTTP_BENCH_STACK_DIR'

/** SDK 3 and undici 8 declare `engines.node >=22.15.0` and `>=22.19.0`. */
const SDK3_MIN_NODE = [22, 19] as const

const source = (stack: StackName) => fileURLToPath(new URL(`../stacks/${stack}/`, import.meta.url))
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'))

/** The package names a stack provides: its manifest's dependencies (an npm alias keeps the name it replaces). */
export const stackPackages = (dir: string): string[] =>
  Object.keys(readJson(join(dir, 'package.json')).dependencies)

/**
 * Whether an import of `specifier` from `importer` (a path) loads the stack's copy. The API and
 * undici always do (one of each in the process); the SDK packages only for the bench's code and
 * ours, so a third-party peer (`@fastify/otel`) keeps the SDK internals npm gives it, as beside a
 * user's SDK 3. The stack's own imports resolve inside it as installed.
 */
export function redirected(specifier: string, importer: string, dir: string, names: string[]): boolean {
  const name = specifier.startsWith('@')
    ? specifier.split('/', 2).join('/')
    : (specifier.split('/', 1)[0] ?? specifier)
  if (!names.includes(name) || importer.startsWith(`${dir}${sep}`)) return false
  return name === '@opentelemetry/api' || name === 'undici' || !importer.includes(`${sep}node_modules${sep}`)
}

/**
 * Installs `stack` (once, again when its lockfile changes) and returns its directory, or
 * undefined for the repository's own. Throws on a Node too old for it.
 */
export function installStack(stack: StackName, log: (line: string) => void): string | undefined {
  if (stack === 'sdk2') return undefined
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number]
  if (major < SDK3_MIN_NODE[0] || (major === SDK3_MIN_NODE[0] && minor < SDK3_MIN_NODE[1])) {
    throw new Error(
      `--stack=sdk3 needs Node >= ${SDK3_MIN_NODE.join('.')} (SDK 3 and undici 8's engines); this is ${process.version}: add --node 24`,
    )
  }
  const dir = join(NODE_CACHE, `stack-${stack}`)
  const lock = readFileSync(join(source(stack), 'package-lock.json'), 'utf8')
  const stamp = join(dir, 'installed-from.json')
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lock) {
    log(`installing bench/stacks/${stack} into ${dir} …`)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    for (const file of ['package.json', 'package-lock.json'])
      cpSync(join(source(stack), file), join(dir, file))
    // npm under this Node (its engine checks are then the stack's), found first on the PATH.
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
      cwd: dir,
      env: { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` },
      stdio: ['ignore', process.stderr, 'inherit'],
    })
    writeFileSync(stamp, lock)
  }
  return dir
}

/**
 * `name` as resolved to `file`: its version from the package.json above it, and the package's own
 * name when `name` is an npm alias of another.
 */
export function describePackage(name: string, file: string): string {
  const at = file.lastIndexOf(`${sep}node_modules${sep}${name}${sep}`)
  if (at === -1) return `${name} (${file})`
  const manifest = readJson(join(file.slice(0, at), 'node_modules', name, 'package.json'))
  return manifest.name === name
    ? `${name} ${manifest.version}`
    : `${name} = ${manifest.name} ${manifest.version}`
}

/** The `--import` a child process needs for the stack in its environment (none for the repository's). */
export function stackExecArgv(): string[] {
  if (!process.env[STACK_DIR_ENV]) return []
  return ['--import', new URL('./stack-hooks.ts', import.meta.url).href]
}
