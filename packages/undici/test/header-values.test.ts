import { CompositePropagator } from '@opentelemetry/core'
import { tracingInterceptor } from '@otel-http/undici'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureDiag } from '../../../test/support/client-caller'
import { setupTracing } from '../../../test/support/tracing'
import {
  BROKEN_METADATA,
  customPropagator,
  PROPAGATORS,
  SENDABLE,
  withUnsendableContext,
} from '../../../test/support/unsendable-values'
import { rawValues, startServer } from './loopback'

setupTracing()
const diagnostics = captureDiag()
let server: Awaited<ReturnType<typeof startServer>>
const agent = new Agent()
beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  await agent.close()
  await server.close()
})

const warningsAbout = (text: string) => diagnostics.messages.filter((m) => m.includes(text))

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
          expect(await response.body.text()).toBe('ok')
          const seen = server.request(path)!
          expect(rawValues(seen.rawHeaders, 'traceparent')).toHaveLength(1)
          expect(rawValues(seen.rawHeaders, 'baggage')).toEqual(['ok=1,k=v'])
          expect(rawValues(seen.rawHeaders, 'tracestate')).toEqual([])
          expect(seen.headers['x-custom']).toBeUndefined()
          expect(seen.headers['x-number']).toBeUndefined()
          expect(seen.headers['x-fine']).toBe('kept')
          expect(seen.headers['x-caller']).toBe('1')
          for (let j = 1; j < seen.rawHeaders.length; j += 2) expect(seen.rawHeaders[j]).toMatch(SENDABLE)
        }
        expect(warningsAbout('"x-custom"')).toHaveLength(1)
        expect(warningsAbout('"x-number"')).toHaveLength(1)
        expect(warningsAbout('baggage key "k"')).toHaveLength(1)
        if (writesBrokenTraceState) expect(warningsAbout('"tracestate"')).toHaveLength(1)
      },
    )
  },
)
