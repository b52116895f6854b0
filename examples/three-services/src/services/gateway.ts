import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { context, type MeterProvider, propagation, type TracerProvider, trace } from '@opentelemetry/api'
import { tracedFetch } from '@otel-http/fetch'
import { traceRequestListener } from '@otel-http/server'
import { listen, type Running } from '../listen'

export interface GatewayOptions {
  tracerProvider: TracerProvider
  /** Where the adapters record the HTTP metrics. */
  meterProvider: MeterProvider
  /** Our own services: the only destinations that get trace headers and Baggage. */
  propagateTo: (url: URL) => boolean
  /** Base URL of service A (orders). */
  orders: string
}

/**
 * The public edge (node:http). Callers on the internet are not trusted: their `traceparent` starts
 * nothing here (`trustIncoming: false` gives a new root with a link to it) and their Baggage is
 * dropped. The user comes from `x-user-id`, standing in for whatever authentication sets it, and
 * is put into Baggage for every service downstream.
 */
export async function startGateway({
  tracerProvider,
  meterProvider,
  propagateTo,
  orders,
}: GatewayOptions): Promise<Running> {
  const fetchOrders = tracedFetch(globalThis.fetch, { tracerProvider, meterProvider, propagateTo })

  async function checkout(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const userId = req.headers['x-user-id']
    if (typeof userId !== 'string' || userId === '') {
      res.writeHead(401).end()
      return
    }
    const active = context.active()
    const span = trace.getSpan(active)
    // Baggage is read by BaggageSpanProcessor when a span starts, and this span started before
    // anyone knew the user: record it here, where the identity is established.
    span?.setAttribute('user_id', userId)
    // What the adapter let through from the caller's Baggage: nothing, for an untrusted caller.
    const inbound = propagation.getBaggage(active)
    span?.setAttribute(
      'demo.inbound_baggage_keys',
      inbound ? inbound.getAllEntries().map(([key]) => key) : [],
    )

    const baggage = (inbound ?? propagation.createBaggage()).setEntry('user_id', { value: userId })
    const response = await context.with(propagation.setBaggage(active, baggage), () =>
      fetchOrders(`${orders}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sku: 'book-42', quantity: 1 }),
      }),
    )
    const order = await response.json()
    res.writeHead(response.ok ? 200 : 502, { 'content-type': 'application/json' })
    res.end(JSON.stringify(order))
  }

  function route(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/checkout') {
      checkout(req, res).catch((error: unknown) => {
        res.writeHead(502).end(String(error))
      })
      return
    }
    res.writeHead(404).end()
  }

  const server = createServer(
    traceRequestListener(route, {
      tracerProvider,
      meterProvider,
      trustIncoming: false,
      // node:http has no router to report a route: name the one endpoint ourselves.
      spanName: ({ method, request }) =>
        request.url?.startsWith('/checkout') ? `${method} /checkout` : method,
    }),
  )
  return listen(server)
}
