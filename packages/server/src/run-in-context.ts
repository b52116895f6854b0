import { type Context, context } from '@opentelemetry/api'
import type { ServerHandle } from '@otel-http/core'

// context.with(ctx, fn, thisArg) calls `fn.bind(thisArg)` in some context managers, and an
// Express app is a function whose `bind` is the route method for HTTP BIND: call through apply.
const applyHandler = <A extends unknown[], R>(handler: (...args: A) => R, thisArg: unknown, args: A): R =>
  Reflect.apply(handler, thisArg, args)

/** Calls `handler` with `this` and `args` in `ctx`, whatever the handler's own properties are. */
export function callInContext<A extends unknown[], R>(
  ctx: Context,
  handler: (...args: A) => R,
  thisArg: unknown,
  args: A,
): R {
  return context.with(ctx, applyHandler<A, R>, undefined, handler, thisArg, args)
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | undefined)?.then === 'function'

/**
 * Calls a handler with the request's context active, recording what it throws or rejects
 * with. The outcome reaches the caller unchanged: the same value, the same error.
 */
export function runInContext<A extends unknown[], R>(
  traced: Pick<ServerHandle, 'context' | 'recordError'>,
  handler: (...args: A) => R,
  thisArg: unknown,
  ...args: A
): R {
  let result: R
  try {
    result = callInContext(traced.context, handler, thisArg, args)
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
