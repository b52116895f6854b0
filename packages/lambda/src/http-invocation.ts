import {
  type Attributes,
  propagation,
  type SpanContext,
  type TextMapPropagator,
  trace,
} from '@opentelemetry/api'
import { createServerInstrumentation } from '@otel-http/core'
import { type HttpEvent, httpEventGetter } from './http-event-carrier'
import type { HttpRequestView } from './http-request'
import { type Invocation, SCOPE } from './invocation'
import { projectedGetter } from './projected-getter'
import type { TraceLambdaHandlerOptions } from './trace-lambda-handler-options'
import { addXrayLink } from './xray-context'

// The carrier handed to the core server instrumentation: the event's headers, plus the
// invocation's X-Ray context and a note of whether extraction fell back to it.
interface HttpCarrier {
  event: HttpEvent
  xray: SpanContext | undefined
  xrayIsParent: boolean
}

const httpCarrierGetter = projectedGetter(httpEventGetter, (carrier: HttpCarrier) => carrier.event)

// W3C context from the headers wins; the X-Ray context is the parent only when there is none.
// Going through the propagator keeps trustIncoming in core's hands: an untrusted caller's X-Ray
// context becomes a link exactly as a W3C one does.
function withXrayFallback(inner: TextMapPropagator): TextMapPropagator<HttpCarrier> {
  return {
    inject: (ctx, carrier, setter) => inner.inject(ctx, carrier, setter),
    fields: () => inner.fields(),
    extract(ctx, carrier, getter) {
      const extracted = inner.extract(ctx, carrier, getter)
      const w3c = trace.getSpanContext(extracted)
      if ((w3c && trace.isSpanContextValid(w3c)) || !carrier.xray) return extracted
      carrier.xrayIsParent = true
      return trace.setSpanContext(extracted, carrier.xray)
    },
  }
}

function statusOf(result: unknown, implicitOk: boolean): number | undefined {
  const status = (result as { statusCode?: unknown } | null | undefined)?.statusCode
  if (typeof status === 'number') return status
  // Payload 2.0 and Function URLs answer 200 for a result without a status code.
  return implicitOk && result !== undefined ? 200 : undefined
}

/** What one HTTP-shaped invocation starts with. */
export interface HttpInvocationStart {
  event: HttpEvent
  view: HttpRequestView
  /** The invocation's X-Ray context (`_X_AMZN_TRACE_ID`). */
  xray: SpanContext | undefined
  /** `faas.*` and `cloud.*`. */
  attributes: Attributes
  /** Payload 2.0 / Function URL: a result without `statusCode` means 200. */
  implicitOk: boolean
}

/** SERVER spans for API Gateway, ALB and Function URL events, through core's server instrumentation. */
export function createHttpInvocations(options: TraceLambdaHandlerOptions) {
  const propagator = options.propagator ?? (propagation as unknown as TextMapPropagator)
  const instrumentation = createServerInstrumentation<HttpEvent, unknown>(
    { ...options, propagator: withXrayFallback(propagator) },
    SCOPE,
  )

  return function startHttpInvocation(start: HttpInvocationStart): Invocation | undefined {
    const { event, view } = start
    const carrier: HttpCarrier = { event, xray: start.xray, xrayIsParent: false }
    const request = instrumentation.start({
      method: view.method,
      target: view.target,
      scheme: view.scheme,
      host: view.host,
      clientAddress: view.clientAddress,
      protocolVersion: view.protocolVersion,
      request: event,
      headers: carrier,
      getter: httpCarrierGetter,
      attributes: start.attributes,
    })
    if (!request) return undefined
    if (view.route) request.setRoute(view.route)
    if (!carrier.xrayIsParent) addXrayLink(request.span, carrier.xray)
    return {
      context: request.context,
      end: ({ response, error } = {}) =>
        request.end({
          response,
          status: error === undefined ? statusOf(response, start.implicitOk) : undefined,
          error,
        }),
    }
  }
}
