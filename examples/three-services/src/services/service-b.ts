import { createServer } from 'node:http'
import { Router } from '@koa/router'
import type { MeterProvider, TracerProvider } from '@opentelemetry/api'
import { koaTracing } from '@otel-http/server'
import { tracingInterceptor } from '@otel-http/undici'
import Koa from 'koa'
import { Agent, request } from 'undici'
import { listen, type Running } from '../listen'

export interface ServiceBOptions {
  tracerProvider: TracerProvider
  /** Where the adapters record the HTTP metrics. */
  meterProvider: MeterProvider
  propagateTo: (url: URL) => boolean
  /** Base URL of service C (risk). */
  risk: string
}

/** Service B, payments: Koa, calling C with undici through an Agent composed with `tracingInterceptor`. */
export async function startServiceB({
  tracerProvider,
  meterProvider,
  propagateTo,
  risk,
}: ServiceBOptions): Promise<Running> {
  const agent = new Agent()
  const dispatcher = agent.compose(tracingInterceptor({ tracerProvider, meterProvider, propagateTo }))

  const router = new Router()
  router.post('/payments', async (ctx) => {
    const { statusCode, body } = await request(`${risk}/risk-checks`, {
      dispatcher,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 1999 }),
    })
    const verdict = (await body.json()) as { approved: boolean }
    ctx.status = statusCode === 200 && verdict.approved ? 201 : 402
    ctx.body = { paymentId: 'pay-1', verdict }
  })

  const app = new Koa()
  app.use(koaTracing({ tracerProvider, meterProvider }))
  app.use(router.routes())
  const running = await listen(createServer(app.callback()))
  return {
    url: running.url,
    close: async () => {
      await running.close()
      await agent.close()
    },
  }
}
