/**
 * What a straightforward instrumentation does per request, written as plainly as the
 * OpenTelemetry API allows: the hot path measures it in the same run as the adapters, so their
 * cost can be read against it whatever the machine's speed. The reference points
 * (0.90× for "a straightforward propagation.inject per request", 0.80× for "a straightforward
 * span + inject") are these two.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  trace,
} from '@opentelemetry/api'

const tracer = trace.getTracer('bench-by-hand')

/** The active context injected into a fresh headers record. */
export function injectedHeaders(ctx: Context = context.active()): Record<string, string> {
  const headers: Record<string, string> = {}
  propagation.inject(ctx, headers)
  return headers
}

/** A CLIENT span with the stable HTTP attributes, and the context that carries it. */
export function startClientSpan(method: string, urlText: string): { span: Span; context: Context } {
  const url = new URL(urlText)
  const span = tracer.startSpan(method, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': method,
      'url.full': url.href,
      'server.address': url.hostname,
      'server.port': url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
    },
  })
  return { span, context: trace.setSpan(context.active(), span) }
}

/** Records the status and ends the span. */
export function endClientSpan(span: Span, status: number): void {
  span.setAttribute('http.response.status_code', status)
  span.end()
}

/**
 * The SDK floor of any server instrumentation: extract, a SERVER span with two attributes ended
 * on `close`, and `next` run in its context.
 */
export function serverSpanByHand<T>(req: IncomingMessage, res: ServerResponse, next: () => T): T {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers)
  const span = tracer.startSpan(
    req.method ?? 'GET',
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.url } },
    parent,
  )
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode)
    span.end()
  })
  return context.with(trace.setSpan(parent, span), next)
}
