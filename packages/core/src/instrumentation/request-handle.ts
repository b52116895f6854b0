import type { Context, Span, TextMapSetter } from '@opentelemetry/api'
import { reportThrown, safely } from './guard'
import { recordError } from './record-error'

/**
 * How a traced request or message operation ended; each kind reads the fields it knows.
 *
 * @example
 * handle.end({ status: 503 } satisfies RequestOutcome)
 * handle.end({ error } satisfies RequestOutcome)
 */
export interface RequestOutcome<Res = unknown> {
  /** The adapter's view of the response, when one came. */
  response?: Res
  /** The HTTP status code received or sent. */
  status?: number
  /** The request failed, or the handler threw or rejected, with this. */
  error?: unknown
  /** Server: the connection closed before the response finished. */
  closedEarly?: boolean
  /** Messaging: known only once the broker answered (SQS `MessageId`). */
  messageId?: string
}

/** Applies a kind's outcome attributes to its span just before it ends. Runs inside the guard. */
export type Finish<Res> = (span: Span, outcome: RequestOutcome<Res>, failed: boolean) => void

/**
 * The metrics of one request or operation, recorded by `end` whether or not there is a span:
 * `failure` is the error recorded for it (the handler's, the transport's), if any.
 */
export interface Measurement<Res = unknown> {
  end(outcome: RequestOutcome<Res>, failure: unknown): void
}

/** Writes a context into a carrier; compiled once per adapter (propagator, baggage policy). */
export type Injector = <C>(ctx: Context, carrier: C, setter: TextMapSetter<C>) => void

/**
 * One traced request or message operation: the same handle for client, server, messaging and
 * Lambda. Every method is guarded (an exception from the span, a hook or a propagator is
 * reported through `diag`, never thrown) and `end` takes effect once.
 *
 * @example
 * const handle = instrumentation.start(request)
 * try {
 *   const response = await context.with(handle.context, send)
 *   handle.end({ response, status: response.status })
 * } catch (error) {
 *   handle.end({ error })
 * }
 */
export class RequestHandle<Res = unknown> {
  private ended = false
  private failed = false
  private failure: unknown

  constructor(
    /** The span of this request; undefined with `spans: false` or when the tracer threw. */
    readonly span: Span | undefined,
    /** The context to run the transport, the handler or the message processing in. */
    readonly context: Context,
    /** The kind's outcome recording, for a kind without a handle class of its own (messaging). */
    private readonly finishWith?: Finish<Res>,
    private readonly measurement?: Measurement<Res>,
  ) {}

  /**
   * Applies the kind's outcome attributes to the span just before it ends; a client or server
   * handle overrides it, reading what it needs from its own fields, so a request allocates no
   * closure for it. Runs inside the guard.
   */
  protected recordOutcome(span: Span, outcome: RequestOutcome<Res>, failed: boolean): void {
    this.finishWith?.(span, outcome, failed)
  }

  /**
   * Whether `end` records anything (a span, metrics): if not, an adapter may call straight
   * through, without running the transport in `context` or waiting for the outcome.
   */
  get observed(): boolean {
    return this.span !== undefined || this.measurement !== undefined
  }

  /** Records a failure (exception event, `error.type`, status ERROR) without ending the span. */
  recordError(error: unknown): void {
    if (this.ended || this.failed) return
    this.failed = true
    this.failure = error
    const { span } = this
    if (span) safely('recording the error', recordError, undefined, span, error)
  }

  /** Records the outcome and ends the span; later calls do nothing. */
  end(outcome: RequestOutcome<Res> = {}): void {
    if (this.ended) return
    if (outcome.error !== undefined) this.recordError(outcome.error)
    this.ended = true
    const { span, measurement } = this
    // The one place every request ends: its metrics, then its span, over the same interval.
    // Guarded inline (as `safely` would): no closure per request.
    if (measurement) {
      try {
        measurement.end(outcome, this.failure)
      } catch (error) {
        reportThrown('recording the metrics', error)
      }
    }
    if (!span) return
    try {
      this.recordOutcome(span, outcome, this.failed)
    } catch (error) {
      reportThrown('recording the outcome', error)
    }
    try {
      span.end()
    } catch (error) {
      reportThrown('ending the span', error)
    }
  }
}

/**
 * A handle whose context travels on: an outgoing HTTP request or a message being sent.
 *
 * @example
 * const handle = instrumentation.start({ method: 'GET', url: () => new URL(href), request })
 * const headers: HeaderRecord = { ...callerHeaders }
 * handle?.inject(headers, recordSetter)
 */
export class OutboundHandle<Res = unknown> extends RequestHandle<Res> {
  constructor(
    span: Span | undefined,
    ctx: Context,
    finish: Finish<Res> | undefined,
    private readonly injector: Injector | undefined,
    /** The context written into carriers (the span's, without the handle's own markers). */
    private readonly injected: Context = ctx,
    /** The injector for another destination of the same request (a redirect hop), by `propagateTo`. */
    private readonly injectorAt?: (url: URL) => Injector | undefined,
    measurement?: Measurement<Res>,
  ) {
    super(span, ctx, finish, measurement)
  }

  /**
   * Whether the requests after the first (redirect hops, resends) need checking: a span counts
   * them, and a `propagateTo` decides per destination. Otherwise every hop carries what the
   * first request carried, as the platform's own redirect handling already does.
   */
  get checksHops(): boolean {
    return this.span !== undefined || this.decidesPerDestination
  }

  /** Whether a `propagateTo` decides per destination what a request (or a redirect hop) carries. */
  get decidesPerDestination(): boolean {
    return this.injectorAt !== undefined
  }

  /**
   * Writes `traceparent`, `tracestate` and the allowed baggage into `carrier`; does nothing when
   * the destination may not receive them (`propagateTo`). The destination is the request's own,
   * or `url` (a redirect hop). Values a platform would reject are dropped, never thrown.
   */
  inject<C>(carrier: C, setter: TextMapSetter<C>, url?: URL): void {
    const { injected } = this
    const injector = url && this.injectorAt ? this.injectorAt(url) : this.injector
    if (injector) injector(injected, carrier, setter)
  }
}
