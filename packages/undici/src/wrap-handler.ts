import type { LegacyHandler } from './legacy-handler'

/**
 * Whether `handler` is undici 7's `WrapHandler`: what its `compose` hands an interceptor when the
 * caller wrote a callback handler (undici.request's, stream's, fetch's). Its callback methods
 * forward to that handler unchanged, so we may dispatch through them as the bare Agent would,
 * instead of letting the Agent turn the response headers into an object and WrapHandler turn
 * them back (parsed, re-Buffered, parsed again, their case lost).
 *
 * Matched by class name, not by "has both APIs": a user's handler with both keeps being called
 * through the controller API, as undici calls it. A minified name only costs the conversion;
 * undici 6 and 8 have no WrapHandler.
 */
export function isUndiciWrapHandler(handler: object): boolean {
  return (
    handler.constructor?.name === 'WrapHandler' && typeof (handler as LegacyHandler).onHeaders === 'function'
  )
}
