import type { ServerOptions } from '@otel-http/core'
import type { HttpEvent } from './http-event-carrier'

/**
 * Options of `traceLambdaHandler`: the server options of `@otel-http/core` for HTTP events
 * (hooks receive the event and the handler's result), plus the Lambda-specific ones.
 */
export interface TraceLambdaHandlerOptions extends ServerOptions<HttpEvent, unknown> {
  /**
   * Longest wait, in milliseconds, for the tracer provider's `forceFlush` before the result is
   * returned; never longer than the invocation has left. Default 2000.
   */
  flushTimeoutMs?: number
}

/** @deprecated use `TraceLambdaHandlerOptions`; this name goes in the next minor release. */
export type LambdaOptions = TraceLambdaHandlerOptions
