import type { OutboundHandle } from '@otel-http/core'
import { parseRawHeaders } from './raw-headers'
import { TracedOutcome, type UndiciResponse } from './traced-outcome'

type RawHeaders = Buffer[] | string[] | null

/** undici's original callback handler (`onConnect` … `onComplete` / `onError`). */
export interface LegacyHandler {
  onConnect?(abort: (reason?: Error) => void, context?: unknown): void
  onResponseStarted?(): void
  onHeaders?(
    statusCode: number,
    headers: RawHeaders,
    resume: () => void,
    statusText?: string,
  ): boolean | undefined
  onData?(chunk: Buffer): boolean | undefined
  onComplete?(trailers: RawHeaders): void
  onError?(error: Error): void
  onUpgrade?(statusCode: number, headers: RawHeaders, socket: unknown): void
  onBodySent?(chunk: unknown, totalBytesSent?: number): void
  onRequestSent?(): void
}

/**
 * Decorates a handler written for undici's callback API, the form undici 6's `compose` passes
 * through as it is. Return values (`false` = pause) are forwarded, so backpressure is kept.
 */
export class TracedLegacyHandler extends TracedOutcome implements LegacyHandler {
  readonly #handler: LegacyHandler

  constructor(handler: LegacyHandler, call: OutboundHandle<UndiciResponse>, keepHeaders: boolean) {
    super(call, keepHeaders)
    this.#handler = handler
  }

  onConnect(abort: (reason?: Error) => void, context?: unknown): void {
    this.#handler.onConnect?.(abort, context)
  }

  onResponseStarted(): void {
    this.#handler.onResponseStarted?.()
  }

  // Called again for each 1xx before the final response; the last status wins.
  onHeaders(
    statusCode: number,
    headers: RawHeaders,
    resume: () => void,
    statusText?: string,
  ): boolean | undefined {
    this.#record(statusCode, headers)
    return this.#handler.onHeaders?.(statusCode, headers, resume, statusText)
  }

  onData(chunk: Buffer): boolean | undefined {
    return this.#handler.onData?.(chunk)
  }

  onComplete(trailers: RawHeaders): void {
    this.finish()
    this.#handler.onComplete?.(trailers)
  }

  onError(error: Error): void {
    this.finish(error)
    if (!this.#handler.onError) throw error
    this.#handler.onError(error)
  }

  onUpgrade(statusCode: number, headers: RawHeaders, socket: unknown): void {
    this.#record(statusCode, headers)
    this.finish()
    this.#handler.onUpgrade?.(statusCode, headers, socket)
  }

  onBodySent(chunk: unknown, totalBytesSent?: number): void {
    this.#handler.onBodySent?.(chunk, totalBytesSent)
  }

  onRequestSent(): void {
    this.#handler.onRequestSent?.()
  }

  #record(statusCode: number, headers: RawHeaders): void {
    this.status = statusCode
    if (this.keepHeaders) this.headers = () => parseRawHeaders(headers)
  }
}
