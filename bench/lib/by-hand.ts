/**
 * What a straightforward instrumentation does per request, written as plainly as the
 * OpenTelemetry API allows: the hot path measures it in the same run as the adapters, so their
 * cost can be read against it whatever the machine's speed. The reference points
 * (0.90× for "a straightforward propagation.inject per request", 0.80× for "a straightforward
 * span + inject") are these two.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  type Attributes,
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
  return serverSpanWith({ 'http.request.method': req.method, 'url.path': req.url }, req, res, next)
}

/**
 * The same floor with the attributes `traceRequestListener` sets at the span's start (the HTTP
 * semantic conventions' required and recommended ones a request without a socket has), read as
 * plainly as possible: what the SDK charges for them, apart from the adapter's own code.
 */
export function serverSpanByHandWithSemconv<T>(req: IncomingMessage, res: ServerResponse, next: () => T): T {
  const target = req.url ?? '/'
  const query = target.indexOf('?')
  const host = req.headers.host ?? ''
  const colon = host.lastIndexOf(':')
  const attributes: Attributes = {
    'http.request.method': req.method,
    'url.path': query === -1 ? target : target.slice(0, query),
    'url.scheme': 'http',
    'server.address': colon === -1 ? host : host.slice(0, colon),
    'server.port': colon === -1 ? 80 : Number(host.slice(colon + 1)),
    'network.protocol.version': req.httpVersion,
  }
  const userAgent = req.headers['user-agent']
  if (userAgent) attributes['user_agent.original'] = userAgent
  return serverSpanWith(attributes, req, res, next)
}

function serverSpanWith<T>(
  attributes: Attributes,
  req: IncomingMessage,
  res: ServerResponse,
  next: () => T,
): T {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers)
  const span = tracer.startSpan(req.method ?? 'GET', { kind: SpanKind.SERVER, attributes }, parent)
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode)
    span.end()
  })
  return context.with(trace.setSpan(parent, span), next)
}
