/**
 * `stack-check.ts`, started by run.ts for `--stack=sdk3`: loads our built packages as ESM and as
 * CommonJS, and each of the stack's packages, then checks where lib/stack-hooks.ts resolved them:
 * every import of `@opentelemetry/api` from our dist, and every one the hooks redirect, must land
 * in the stack's directory (another copy of the API would still work through its global, so
 * nothing else would show it). Its ready message carries the versions loaded.
 */
import { createRequire } from 'node:module'
import { join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PACKAGES, packageDir } from '../lib/built-packages'
import { serveRequests } from '../lib/ipc'
import { describePackage, redirected, STACK_DIR_ENV, stackPackages } from '../lib/stack'
import { RESOLUTIONS, type StackResolution } from '../lib/stack-hooks'

const dir = process.env[STACK_DIR_ENV]
if (!dir) throw new Error(`${STACK_DIR_ENV} is not set: no stack to check`)
const names = stackPackages(dir)
const require = createRequire(import.meta.url)
const self = fileURLToPath(import.meta.url)

for (const name of PACKAGES) {
  await import(`@otel-http/${name}`)
  require(join(packageDir(name), 'dist', 'index.cjs'))
}
for (const name of names) {
  await import(name)
  require(name)
}

const resolutions = (globalThis as Record<symbol, StackResolution[] | undefined>)[RESOLUTIONS] ?? []
const inStack = (url: string) => fileURLToPath(url).startsWith(join(dir, 'node_modules'))
const problems: string[] = []
// Ours import the API as ESM and as CommonJS (undici's through @otel-http/core): both must be seen.
const ourDist = PACKAGES.map((name) => join(packageDir(name), 'dist', sep))
for (const format of ['.js', '.cjs']) {
  const seen = resolutions.some(
    (r) =>
      r.specifier === '@opentelemetry/api' &&
      r.parent.endsWith(format) &&
      ourDist.some((dist) => r.parent.startsWith(dist)),
  )
  if (!seen) problems.push(`no import of @opentelemetry/api seen from our dist/*${format}`)
}
for (const { specifier, parent, url } of resolutions) {
  if (redirected(specifier, parent, dir, names) && !inStack(url)) {
    problems.push(`${parent}: ${specifier} → ${url}`)
  }
}
if (problems.length > 0) throw new Error(`outside the stack ${dir}:\n${problems.join('\n')}`)

const versions = names.map((name) =>
  describePackage(
    name,
    fileURLToPath(resolutions.find((r) => r.parent === self && r.specifier === name)!.url),
  ),
)
serveRequests(() => undefined, { versions })
