import type { OutboundHandle } from '@otel-http/core'
import type { Dispatcher } from 'undici'
import type { ResponseHeaders } from './raw-headers'
import { TracedOutcome, type UndiciResponse } from './traced-outcome'

type Handler = Dispatcher.DispatchHandler
type Controller = Dispatcher.DispatchController

/**
 * Decorates a handler written for undici's controller API (`onRequestStart` …
 * `onResponseEnd`), the form undici 7's `compose` hands every interceptor. Every call is
 * forwarded unchanged; the span ends on `onResponseEnd`, `onResponseError` or an upgrade.
 */
export class TracedControllerHandler extends TracedOutcome implements Handler {
  readonly #handler: Handler

  constructor(handler: Handler, call: OutboundHandle<UndiciResponse>, keepHeaders: boolean) {
    super(call, keepHeaders)
    this.#handler = handler
  }

  onRequestStart(controller: Controller, context: unknown): void {
    this.#handler.onRequestStart?.(controller, context)
  }

  onRequestUpgrade(
    controller: Controller,
    statusCode: number,
    headers: ResponseHeaders,
    socket: Parameters<NonNullable<Handler['onRequestUpgrade']>>[3],
  ): void {
    this.#record(statusCode, headers)
    this.finish()
    this.#handler.onRequestUpgrade?.(controller, statusCode, headers, socket)
  }

  onResponseStart(
    controller: Controller,
    statusCode: number,
    headers: ResponseHeaders,
    statusMessage?: string,
  ): void {
    this.#record(statusCode, headers)
    this.#handler.onResponseStart?.(controller, statusCode, headers, statusMessage)
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    this.#handler.onResponseData?.(controller, chunk)
  }

  onResponseEnd(controller: Controller, trailers: ResponseHeaders): void {
    this.finish()
    this.#handler.onResponseEnd?.(controller, trailers)
  }

  onResponseError(controller: Controller, error: Error): void {
    this.finish(error)
    // Without an error callback undici would have thrown; keep that behaviour.
    if (!this.#handler.onResponseError) throw error
    this.#handler.onResponseError(controller, error)
  }

  // Still called through undici 7's own adapter (fetch uses it for timing info).
  onResponseStarted(): void {
    this.#handler.onResponseStarted?.()
  }

  #record(statusCode: number, headers: ResponseHeaders): void {
    this.status = statusCode
    if (this.keepHeaders) this.headers = () => headers
  }
}
