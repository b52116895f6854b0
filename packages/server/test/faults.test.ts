import type { TextMapPropagator, TracerProvider } from '@opentelemetry/api'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  captureDiagErrors,
  faultyPropagators,
  faultyTracerProviders,
} from '../../../test/support/faulty-tracing'
import { setupTracing } from '../../../test/support/tracing'
import { frameworks, type Seen } from './apps'

setupTracing()
const TP = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
let diagErrors: ReturnType<typeof captureDiagErrors>

beforeAll(() => {
  diagErrors = captureDiagErrors()
})
afterEach(() => {
  diagErrors.errors.length = 0
})
afterAll(() => diagErrors.stop())

type Faulty = {
  tracerProvider?: TracerProvider
  propagator?: TextMapPropagator
  acceptBaggage?: () => boolean
}

const cases: ReadonlyArray<{ fault: string; options: () => Faulty }> = [
  ...faultyTracerProviders.map(({ fault, provider }) => ({
    fault,
    options: () => ({ tracerProvider: provider() }),
  })),
  // A server only extracts: the propagators that break on extract.
  ...faultyPropagators
    .filter(({ fault }) => fault.includes('extract'))
    .map(({ fault, propagator }) => ({ fault, options: () => ({ propagator: propagator() }) })),
  {
    fault: 'acceptBaggage throws',
    options: () => ({
      acceptBaggage: () => {
        throw new Error('injected fault: acceptBaggage')
      },
    }),
  },
]

// Each fault is served exactly as without tracing (no 500, no hang, no uncaught exception —
// vitest fails the run on one) and reported through diag.
describe.each(frameworks)('$name', (framework) => {
  it.each(cases)('$fault: the request is served and diag says why', async ({ options }) => {
    const app = await framework.start(options())
    try {
      for (const path of ['/users/42', '/users/43']) {
        const response = await fetch(`${app.url}${path}`, {
          headers: { traceparent: TP, baggage: 'user=alice' },
          signal: AbortSignal.timeout(10_000),
        })
        expect(response.status).toBe(200)
        const seen = (await response.json()) as Seen
        expect(seen.traceId).not.toBe('none')
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(diagErrors.errors.length).toBeGreaterThan(0)
      expect(String(diagErrors.errors[0]![0])).toMatch(/^otel-http: /)
    } finally {
      await app.close()
    }
  })
})
