import { CompositePropagator } from '@opentelemetry/core'
import { tracingInterceptor } from '@otel-http/undici'
import { Agent, request } from 'undici'
import { describe, expect, it } from 'vitest'
import { captureDiag } from '../../../test/support/client-caller'
import { echoOf, rawValues, useLoopbackServer } from '../../../test/support/loopback-server'
import { setupTracing } from '../../../test/support/tracing'
import {
  BROKEN_METADATA,
  customPropagator,
  expectDropsReportedOnce,
  PROPAGATORS,
  SENDABLE,
  withUnsendableContext,
} from '../../../test/support/unsendable-values'

setupTracing()
const diagnostics = captureDiag()
const agent = new Agent()
const server = useLoopbackServer(() => agent.close())

describe.each(PROPAGATORS)(
  'tracingInterceptor with $name never sends a value undici rejects',
  ({ name, make, writesBrokenTraceState }) => {
    const dispatcher = agent.compose(
      tracingInterceptor({
        propagator: new CompositePropagator({ propagators: [make(), customPropagator] }),
      }),
    )

    it.each(BROKEN_METADATA)(
      'baggage metadata with $name: the request goes out without it',
      async (broken) => {
        for (let i = 0; i < 2; i++) {
          const path = `/${encodeURIComponent(name)}/${encodeURIComponent(broken.name)}/${i}`
          const response = await withUnsendableContext(broken.metadata, () =>
            request(`${server.origin}${path}`, { dispatcher, headers: { 'x-caller': '1' } }),
          )
          expect(response.statusCode).toBe(200)
          const seen = server.request(path)!
          expect(await response.body.text()).toBe(echoOf(seen))
          expect(rawValues(seen.rawHeaders, 'traceparent')).toHaveLength(1)
          expect(rawValues(seen.rawHeaders, 'baggage')).toEqual(['ok=1,k=v'])
          expect(rawValues(seen.rawHeaders, 'tracestate')).toEqual([])
          expect(seen.headers['x-custom']).toBeUndefined()
          expect(seen.headers['x-number']).toBeUndefined()
          expect(seen.headers['x-fine']).toBe('kept')
          expect(seen.headers['x-caller']).toBe('1')
          for (let j = 1; j < seen.rawHeaders.length; j += 2) expect(seen.rawHeaders[j]).toMatch(SENDABLE)
        }
        expectDropsReportedOnce(diagnostics.messages, writesBrokenTraceState)
      },
    )
  },
)
