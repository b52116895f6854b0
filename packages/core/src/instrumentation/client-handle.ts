import { type Context, type Span, SpanStatusCode } from '@opentelemetry/api'
import type { ClientOptions } from './client-options'
import { safely } from './guard'
import { clientErrorType } from './http-attributes'
import { type Injector, type Measurement, OutboundHandle, type RequestOutcome } from './request-handle'

/** What every handle of one client instrumentation shares: compiled once, read per request. */
export interface CompiledClient<Req, Res> {
  responseHook: ClientOptions<Req, Res>['responseHook']
}

/**
 * One traced outgoing HTTP request with a CLIENT span: the request's own facts are fields,
 * the options are shared, so a request allocates this handle and no outcome closure.
 *
 * @example
 * const handle = new ClientHandle(span, ctx, inject, spanContext, undefined, measurement, compiled, 'GET', url, request)
 * handle.end({ status: 200 }) // sets http.response.status_code, calls responseHook
 */
export class ClientHandle<Req, Res> extends OutboundHandle<Res> {
  constructor(
    span: Span,
    ctx: Context,
    injector: Injector | undefined,
    injected: Context,
    injectorAt: ((url: URL) => Injector | undefined) | undefined,
    measurement: Measurement<Res> | undefined,
    private readonly compiled: CompiledClient<Req, Res>,
    private readonly method: string,
    private readonly url: URL,
    private readonly request: Req,
    /** Explains a failed cross-origin request from a page (`withCorsHint`), before the outcome. */
    private readonly explain?: (outcome: RequestOutcome<Res>) => void,
  ) {
    super(span, ctx, undefined, injector, injected, injectorAt, measurement)
  }

  protected override recordOutcome(span: Span, outcome: RequestOutcome<Res>): void {
    if (this.explain) this.explain(outcome)
    const { status } = outcome
    if (status !== undefined) span.setAttribute('http.response.status_code', status)
    // The status's own error type (4xx, 5xx), the one the metrics record too.
    const type = clientErrorType(status, undefined)
    if (type !== undefined) {
      span.setAttribute('error.type', type)
      span.setStatus({ code: SpanStatusCode.ERROR })
    }
    const { responseHook } = this.compiled
    if (responseHook) {
      const { method, url, request } = this
      const { response, error } = outcome
      safely(
        'responseHook',
        () => responseHook({ span, method, url, request, response, status, error }),
        undefined,
      )
    }
  }
}
