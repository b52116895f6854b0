import { createServer } from 'node:http'
import { getRequestListener } from '@hono/node-server'
import type { MeterProvider, TracerProvider } from '@opentelemetry/api'
import { honoTracing } from '@otel-http/server'
import { Hono } from 'hono'
import { listen, type Running } from '../listen'

/** Receipts sent so far, as the notifier received them. */
export interface Notifier extends Running {
  readonly sent: unknown[]
}

/** The notifier (Hono): the receipts Lambda calls it once per job. */
export async function startNotifier({
  tracerProvider,
  meterProvider,
}: {
  tracerProvider: TracerProvider
  meterProvider: MeterProvider
}): Promise<Notifier> {
  const sent: unknown[] = []
  const app = new Hono()
  app.use(honoTracing({ tracerProvider, meterProvider }))
  app.post('/receipts', async (c) => {
    sent.push(await c.req.json())
    return c.json({ sent: true }, 202)
  })
  return { ...(await listen(createServer(getRequestListener(app.fetch)))), sent }
}
