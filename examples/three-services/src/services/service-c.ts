import type { MeterProvider, TracerProvider } from '@opentelemetry/api'
import { trace } from '@opentelemetry/api'
import { tracedFetch } from '@otel-http/fetch'
import { injectSqsAttributes, traceSend } from '@otel-http/messaging'
import { fastifyTracing } from '@otel-http/server'
import Fastify from 'fastify'
import type { Running } from '../listen'
import type { LocalQueue } from '../local-queue'

export interface ServiceCOptions {
  tracerProvider: TracerProvider
  /** Where the adapters record the HTTP metrics. */
  meterProvider: MeterProvider
  propagateTo: (url: URL) => boolean
  /** Base URL of the third-party scoring API: deliberately not in `propagateTo`. */
  scoring: string
  /** Where approved payments leave a job for the receipts Lambda. */
  receipts: LocalQueue
}

/**
 * Service C, risk: Fastify. It asks a third party for a fraud score; `propagateTo` lists only our
 * own services, so that call carries no `traceparent` and no Baggage (it still gets a CLIENT span).
 * An approved payment enqueues a receipt job, the trace context riding in its SQS message
 * attributes.
 */
export async function startServiceC({
  tracerProvider,
  meterProvider,
  propagateTo,
  scoring,
  receipts,
}: ServiceCOptions): Promise<Running> {
  const fetchScore = tracedFetch(globalThis.fetch, { tracerProvider, meterProvider, propagateTo })

  const app = Fastify()
  await app.register(fastifyTracing, { tracerProvider, meterProvider })
  app.post('/risk-checks', async () => {
    const response = await fetchScore(`${scoring}/v1/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 1999 }),
    })
    const { score, receivedHeaders } = (await response.json()) as { score: number; receivedHeaders: string[] }
    // The third party reports what it received; keep it in the trace as evidence.
    trace.getActiveSpan()?.setAttribute('demo.third_party_received_headers', receivedHeaders)
    const approved = score < 0.5
    if (approved) {
      await traceSend(
        { system: 'aws_sqs', destination: receipts.name, operationName: 'SendMessage' },
        (send) =>
          receipts.sendMessage({
            MessageBody: JSON.stringify({ job: 'send-receipt', paymentId: 'pay-1' }),
            MessageAttributes: injectSqsAttributes(send),
          }),
        { tracerProvider, messageId: (result) => result.MessageId },
      )
    }
    return { approved, score }
  })
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return { url, close: () => app.close() }
}
