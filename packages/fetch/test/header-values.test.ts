import { CompositePropagator } from '@opentelemetry/core'
import { tracedFetch } from '@otel-http/fetch'
import * as undici from 'undici'
import { describe, expect, it } from 'vitest'
import { captureDiag } from '../../../test/support/client-caller'
import { useLoopbackServer, type WireRequest } from '../../../test/support/loopback-server'
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
const server = useLoopbackServer()

const implementations = [
  { name: "undici's fetch", impl: undici.fetch as unknown as typeof fetch },
  { name: "Node's global fetch", impl: globalThis.fetch },
]

describe.each(implementations)(
  'tracedFetch over $name never sends a value the platform rejects',
  ({ impl }) => {
    describe.each(PROPAGATORS)('with $name', ({ make, writesBrokenTraceState }) => {
      const fetch = tracedFetch(impl, {
        propagator: new CompositePropagator({ propagators: [make(), customPropagator] }),
      })

      it.each(BROKEN_METADATA)(
        'baggage metadata with $name: the request goes out without it',
        async ({ metadata }) => {
          for (let i = 0; i < 2; i++) {
            const response = await withUnsendableContext(metadata, () => fetch(`${server.origin}/bad`))
            expect(response.status).toBe(200)
            const wire = (await response.json()) as WireRequest
            expect(wire.traceparent).toHaveLength(1)
            expect(wire.baggage).toEqual(['ok=1,k=v'])
            expect(wire.tracestate).toEqual([])
            expect(wire.headers['x-custom']).toBeUndefined()
            expect(wire.headers['x-number']).toBeUndefined()
            expect(wire.headers['x-fine']).toBe('kept')
            for (const value of Object.values(wire.headers)) expect(String(value)).toMatch(SENDABLE)
          }
          expectDropsReportedOnce(diagnostics.messages, writesBrokenTraceState)
        },
      )
    })
  },
)
