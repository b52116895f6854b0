import type { Context } from '@opentelemetry/api'

/** One traced invocation, whatever its trigger. */
export interface Invocation {
  /** The context the handler runs in. */
  readonly context: Context
  /** Records how the handler finished and ends the invocation's spans. Never throws. */
  end(outcome: { result?: unknown; error?: unknown }): void
}

export { SCOPE } from './scope'
