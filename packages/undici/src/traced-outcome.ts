import { type OutboundHandle, safely } from '@otel-http/core'
import type { ResponseHeaders } from './raw-headers'

/** What a `responseHook` receives as `response`. */
export interface UndiciResponse {
  statusCode: number
  headers: ResponseHeaders
}

/**
 * The state both handler decorators share: the status seen at response start, and ending the
 * span once when the response ends, fails or upgrades.
 */
export abstract class TracedOutcome {
  protected status: number | undefined
  protected headers: (() => ResponseHeaders) | undefined

  constructor(
    private readonly call: OutboundHandle<UndiciResponse>,
    /** Headers are only kept for a `responseHook`; otherwise nothing is parsed. */
    protected readonly keepHeaders: boolean,
  ) {}

  protected finish(error?: unknown): void {
    const { call, status, headers } = this
    safely(
      'ending the undici span',
      () => {
        const response =
          status !== undefined && headers ? { statusCode: status, headers: headers() } : undefined
        call.end({ status, error, response })
      },
      undefined,
    )
  }
}
