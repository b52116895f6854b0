import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { SQSEvent } from 'aws-lambda'
import type { DemoSpan } from './demo-span'
import type { ExportSummary } from './export-tally'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const RUNTIME = fileURLToPath(new URL('./lambda/runtime.ts', import.meta.url))

export interface LambdaInvocation {
  /** What the handler returned; null when no event was delivered. */
  result: unknown
  /** The spans the function recorded, in the JSON form. */
  spans: DemoSpan[]
  /** How the function's OTLP export went; only when it exported (`DEMO_OTLP=1`). */
  otlp?: ExportSummary
}

/** A started function instance, waiting for its one event. */
export interface LambdaRuntime {
  /** Resolves once the instance has finished its init and waits for an event. */
  ready: Promise<void>
  /** Delivers the event (or none, to let the instance go) and resolves once the function is done. */
  invoke(event: SQSEvent | undefined): Promise<LambdaInvocation>
}

/**
 * Starts the receipts Lambda in a child process, the way Lambda keeps an initialised instance
 * waiting: its init (imports, tracer provider) runs now, while the services start. The SQS event
 * is later written to its stdin as JSON; nothing else is shared. `env` is the function's
 * configuration (`DEMO_OTLP=1`: also export over OTLP).
 */
export function startLambdaRuntime(env: Record<string, string>): LambdaRuntime {
  // tsx runs the TypeScript sources; from the root, its tsconfig maps @otel-http/* to packages/*/src.
  const child = spawn(process.execPath, ['--import', 'tsx', RUNTIME], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit', 'ipc'],
  })
  const ready = new Promise<void>((resolve) => child.once('message', () => resolve()))
  let stdout = ''
  child.stdout!.setEncoding('utf8')
  child.stdout!.on('data', (chunk: string) => {
    stdout += chunk
  })
  const exited = new Promise<LambdaInvocation>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`the receipts Lambda exited with code ${code}`))
      else resolve(JSON.parse(stdout) as LambdaInvocation)
    })
  })
  let delivered: Promise<LambdaInvocation> | undefined
  return {
    ready: Promise.race([ready, exited.then(() => {})]),
    invoke(event) {
      delivered ??= ((): Promise<LambdaInvocation> => {
        child.stdin!.end(event ? JSON.stringify(event) : '')
        return exited
      })()
      return delivered
    },
  }
}
