import type { HeaderRecord } from '../carriers/record-carrier'
import { type RedirectHops, redirectHops } from '../policy/redirect-hop'
import type { OutboundHandle } from './request-handle'

/** The parts of undici's dispatch options a hop check reads; structural, so core never imports undici. */
interface DispatchOptionsLike {
  origin?: string | { origin: string } | null
  path: string
  headers?: unknown
}
type Dispatch = (opts: DispatchOptionsLike, handler: unknown) => boolean
/** An undici `Dispatcher` (Agent, Pool, ProxyAgent, MockAgent…), or anything with its `dispatch`. */
interface DispatcherLike {
  dispatch: Dispatch
  close?(...args: unknown[]): unknown
  destroy?(...args: unknown[]): unknown
  isMockActive?: boolean
}

// Where undici (Node's bundled copy and the npm package alike) keeps the global dispatcher.
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1')

function globalDispatcher(): unknown {
  const global = globalThis as Record<symbol, unknown>
  // Node creates its bundled undici, and with it the global dispatcher, the first time one of
  // fetch's globals is read: read one, so that the first fetch of a process is checked too.
  if (global[GLOBAL_DISPATCHER] === undefined && typeof globalThis.Headers !== 'function') return undefined
  return global[GLOBAL_DISPATCHER]
}

const isDispatcher = (value: unknown): value is DispatcherLike =>
  typeof value === 'object' && value !== null && typeof (value as DispatcherLike).dispatch === 'function'

// Concatenated, never resolved, as undici joins them: a path cannot move the URL elsewhere.
function hopUrl({ origin, path }: DispatchOptionsLike): URL | undefined {
  if (origin == null || typeof path !== 'string') return undefined
  const base = typeof origin === 'string' ? origin : origin.origin
  try {
    return new URL(base.replace(/\/$/, '') + (path.startsWith('/') ? path : `/${path}`))
  } catch {
    return undefined
  }
}

// fetch sends a record; a flat [name, value, …] array is read as one too.
function asRecord(headers: unknown): HeaderRecord | undefined {
  if (!Array.isArray(headers)) return headers as HeaderRecord | undefined
  const record: Record<string, string[]> = {}
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = String(headers[i])
    record[name] = [...(record[name] ?? []), String(headers[i + 1])]
  }
  return record
}

/**
 * The dispatcher one traced fetch call runs on: its first request goes to `base` as it is, every
 * later one (a redirect hop, a resend) with its headers checked. fetch reads only `dispatch` and
 * `isMockActive` of a dispatcher. Not `base.compose(…)`: that builds a `Proxy` (undici 7) or an
 * `EventEmitter` (undici 6) per call, a bound function and a wrapped interceptor; this is one
 * small object (a traced fetch call on Node 24: 66 319 → 61 842 instructions, bench/README.md
 * section 12).
 */
class HopCheckedDispatcher {
  private first = true
  private hops: RedirectHops | undefined

  constructor(
    private readonly base: DispatcherLike,
    private readonly call: Pick<OutboundHandle, 'span' | 'inject'>,
  ) {}

  get isMockActive(): boolean | undefined {
    return this.base.isMockActive
  }

  dispatch(opts: DispatchOptionsLike, handler: unknown): boolean {
    const { base } = this
    if (this.first) {
      this.first = false
      return base.dispatch(opts, handler)
    }
    this.hops ??= redirectHops(this.call)
    const checked = this.hops.next(hopUrl(opts), asRecord(opts.headers))
    return base.dispatch(checked === opts.headers ? opts : { ...opts, headers: checked }, handler)
  }

  close(...args: unknown[]): unknown {
    return this.base.close?.(...args)
  }

  destroy(...args: unknown[]): unknown {
    return this.base.destroy?.(...args)
  }
}

/**
 * The dispatcher to give undici's `fetch` (Node's global fetch, `undici.fetch`) for one traced
 * call: `dispatcher` (the call's own, else undici's global one) with a check that every
 * request after the first, each redirect hop the platform follows, carries the call's trace
 * headers only where `propagateTo` allows. fetch keeps following redirects itself, so the
 * response, `redirected`, `url`, bodies and errors are exactly its own. Undefined when there is
 * no undici dispatcher to wrap (another fetch implementation, or a runtime without undici), or
 * nothing to check (no span, no `propagateTo`): the caller then leaves `init` as it was.
 *
 * @example
 * const dispatcher = hopCheckedDispatcher(init?.dispatcher, call)
 * if (dispatcher) init = { ...init, dispatcher }
 */
export function hopCheckedDispatcher(
  dispatcher: unknown,
  call: Pick<OutboundHandle, 'span' | 'inject' | 'checksHops'>,
): unknown {
  if (!call.checksHops) return undefined
  const base = dispatcher ?? globalDispatcher()
  return isDispatcher(base) ? new HopCheckedDispatcher(base, call) : undefined
}
