import { context } from '@opentelemetry/api'
import type { ServerRequest } from '@otel-http/core'

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | undefined)?.then === 'function'

/**
 * Calls a handler with the request's context active, recording what it throws or rejects
 * with. The outcome reaches the caller unchanged: the same value, the same error.
 */
export function runInContext<A extends unknown[], R>(
  traced: ServerRequest<unknown>,
  handler: (...args: A) => R,
  thisArg: unknown,
  ...args: A
): R {
  let result: R
  try {
    result = context.with(traced.context, handler, thisArg, ...args)
  } catch (error) {
    traced.recordError(error)
    throw error
  }
  if (!isThenable(result)) return result
  return result.then(undefined, (error: unknown) => {
    traced.recordError(error)
    throw error
  }) as R
}
