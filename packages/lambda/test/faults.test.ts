import type { TracerProvider } from '@opentelemetry/api'
import { traceLambdaHandler } from '@otel-http/lambda'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { captureDiagErrors, faultyTracerProviders } from '../../../test/support/faulty-tracing'
import { setupTracing } from '../../../test/support/tracing'
import { lambdaContext, loadEvent } from './lambda-fixtures'

setupTracing()

const providers: ReadonlyArray<{ fault: string; provider: () => TracerProvider }> = [
  {
    fault: 'getTracer throws',
    provider: () => ({
      getTracer: () => {
        throw new Error('injected fault: getTracer')
      },
    }),
  },
  ...faultyTracerProviders,
]

const events = {
  'API Gateway': () => loadEvent('api-gateway-v2'),
  SQS: () => loadEvent('sqs'),
  'a direct invoke': () => ({ orderId: 21 }),
}

let diagErrors: ReturnType<typeof captureDiagErrors>
beforeEach(() => {
  diagErrors = captureDiagErrors()
})
afterEach(() => diagErrors.stop())

describe.each(providers)('when $fault', ({ provider }) => {
  it.each(Object.entries(events))(
    '%s: the handler runs and its result or error passes through',
    async (_, event) => {
      const handler = traceLambdaHandler(
        async (e: unknown) => ({ statusCode: 200, body: JSON.stringify(e) }),
        {
          tracerProvider: provider(),
        },
      )
      const input = event()
      await expect(handler(input, lambdaContext())).resolves.toEqual({
        statusCode: 200,
        body: JSON.stringify(input),
      })

      const failure = new TypeError('handler failed')
      const failing = traceLambdaHandler(
        async () => {
          throw failure
        },
        { tracerProvider: provider() },
      )
      await expect(failing(event(), lambdaContext())).rejects.toBe(failure)
      expect(diagErrors.errors.length).toBeGreaterThan(0)
    },
  )
})
