import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { stackExecArgv } from './stack'

type Message = { id: number; type: string; [field: string]: unknown }
type Reply = { id: number; result?: unknown; error?: string }

/** A benchmark process: forked with tsx, spoken to over IPC one request at a time. */
export interface BenchProcess {
  /** The process's first message, sent once it is ready (e.g. the port a server listens on). */
  ready: Promise<Record<string, unknown>>
  call<T>(type: string, fields?: Record<string, unknown>): Promise<T>
  stop(): void
}

/**
 * Forks `bench/processes/<script>` under tsx. `tsconfig` decides where `@otel-http/*` resolve: the root one
 * (the packages' sources) unless another is given. The stack chosen by run.ts (lib/stack.ts) is
 * loaded through its hooks.
 */
export function startProcess(
  script: string,
  args: string[],
  { execArgv = [], tsconfig }: { execArgv?: string[]; tsconfig?: string } = {},
): BenchProcess {
  const child: ChildProcess = fork(fileURLToPath(new URL(`../processes/${script}`, import.meta.url)), args, {
    execArgv: ['--import', 'tsx', ...stackExecArgv(), ...execArgv],
    env: tsconfig ? { ...process.env, TSX_TSCONFIG_PATH: tsconfig } : process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  let nextId = 1
  let onReady: (message: Record<string, unknown>) => void = () => {}
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    onReady = resolve
    child.once('exit', (code) => reject(new Error(`${script} ${args.join(' ')} exited with ${code}`)))
  })
  child.on('message', (message: Reply | Record<string, unknown>) => {
    if (typeof message.id !== 'number') return onReady(message)
    const waiting = pending.get(message.id)
    pending.delete(message.id)
    if (message.error !== undefined) waiting?.reject(new Error(String(message.error)))
    else waiting?.resolve(message.result)
  })
  child.on('exit', (code) => {
    for (const waiting of pending.values()) waiting.reject(new Error(`${script} exited with ${code}`))
    pending.clear()
  })
  return {
    ready,
    call<T>(type: string, fields: Record<string, unknown> = {}) {
      const id = nextId++
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
        child.send({ ...fields, id, type } satisfies Message)
      })
    },
    stop() {
      if (child.connected) child.disconnect()
    },
  }
}

/** The child's side: answers each request with what `handle` returns (or the error it throws). */
export function serveRequests(handle: (message: Message) => unknown, readyMessage: Record<string, unknown>) {
  process.on('message', async (message: Message) => {
    try {
      process.send?.({ id: message.id, result: await handle(message) })
    } catch (error) {
      process.send?.({
        id: message.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      })
    }
  })
  // The parent going away ends the benchmark: exit rather than linger with open servers/sockets.
  process.on('disconnect', () => process.exit(0))
  process.send?.(readyMessage)
}
