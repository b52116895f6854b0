import { createServer } from 'node:http'
import type { MeterProvider, TracerProvider } from '@opentelemetry/api'
import { instrumentAxios } from '@otel-http/axios'
import { expressTracing } from '@otel-http/server'
import axios from 'axios'
import express from 'express'
import { listen, type Running } from '../listen'

export interface ServiceAOptions {
  tracerProvider: TracerProvider
  /** Where the adapters record the HTTP metrics. */
  meterProvider: MeterProvider
  propagateTo: (url: URL) => boolean
  /** Base URL of service B (payments). */
  payments: string
}

/** Service A, orders: Express, calling B with axios + `instrumentAxios`. */
export async function startServiceA({
  tracerProvider,
  meterProvider,
  propagateTo,
  payments,
}: ServiceAOptions): Promise<Running> {
  const paymentsApi = axios.create({ baseURL: payments })
  instrumentAxios(paymentsApi, { tracerProvider, meterProvider, propagateTo })

  const app = express()
  app.use(expressTracing({ tracerProvider, meterProvider }))
  app.use(express.json())
  app.post('/orders', async (req, res) => {
    const { sku, quantity } = req.body as { sku: string; quantity: number }
    const { data: payment } = await paymentsApi.post('/payments', { sku, amount: 1999 * quantity })
    res.status(201).json({ orderId: 'ord-1', sku, quantity, payment })
  })
  return listen(createServer(app))
}
