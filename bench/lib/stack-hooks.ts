/**
 * `--import`ed by every bench child process when a stack is chosen (lib/stack.ts): resolves the
 * stack's packages, for `import` and `require` alike, in the stack's directory instead of the
 * importer's. Synchronous hooks (`module.registerHooks`, Node ≥ 22.15): they run in this thread
 * and `require` goes through them too. What each resolution of a stack package gave is kept for
 * processes/stack-check.ts.
 */
import * as nodeModule from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { redirected, STACK_DIR_ENV, stackPackages } from './stack'

interface ResolveContext {
  parentURL?: string
  conditions?: string[]
}
type Resolved = { url: string; format?: string | null; shortCircuit?: boolean }
type NextResolve = (specifier: string, context?: ResolveContext) => Resolved
// Not in @types/node 20, the repository's.
type RegisterHooks = (hooks: {
  resolve(specifier: string, context: ResolveContext, next: NextResolve): Resolved
}) => void

/** One resolution of a stack package's name: from which importer, to which file. */
export interface StackResolution {
  specifier: string
  parent: string
  url: string
}
export const RESOLUTIONS = Symbol.for('otel-http-bench.stack-resolutions')

const dir = process.env[STACK_DIR_ENV]
if (dir) {
  const names = stackPackages(dir)
  // Any file in the stack's directory: resolving from it finds the stack's node_modules.
  const insideStack = pathToFileURL(join(dir, 'package.json')).href
  const requireInStack = nodeModule.createRequire(insideStack)
  const resolutions: StackResolution[] = []
  ;(globalThis as Record<symbol, unknown>)[RESOLUTIONS] = resolutions
  const registerHooks = (nodeModule as unknown as { registerHooks: RegisterHooks }).registerHooks
  registerHooks({
    resolve(specifier, context, next) {
      const parent = context.parentURL?.startsWith('file:') ? fileURLToPath(context.parentURL) : undefined
      if (!parent) return next(specifier, context)
      const result = !redirected(specifier, parent, dir, names)
        ? next(specifier, context)
        : context.conditions?.includes('require')
          ? // require's own resolution ignores a parentURL changed here: resolve as the stack would.
            { url: pathToFileURL(requireInStack.resolve(specifier)).href, shortCircuit: true }
          : next(specifier, { ...context, parentURL: insideStack })
      if (names.some((name) => specifier === name || specifier.startsWith(`${name}/`))) {
        resolutions.push({ specifier, parent, url: result.url })
      }
      return result
    },
  })
}
