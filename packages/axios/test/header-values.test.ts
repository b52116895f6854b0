import { CompositePropagator } from '@opentelemetry/core'
import { instrumentAxios } from '@otel-http/axios'
import axios from 'axios'
import { describe, expect, it } from 'vitest'
import { captureDiag } from '../../../test/support/client-caller'
import { rawValues, useLoopbackServer, type WireRequest } from '../../../test/support/loopback-server'
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

describe.each(['http', 'fetch'] as const)('instrumentAxios with the %s adapter', (adapter) => {
  describe.each(PROPAGATORS)(
    'and $name never sends a value the platform rejects',
    ({ make, writesBrokenTraceState }) => {
      const api = axios.create({ adapter })
      instrumentAxios(api, {
        propagator: new CompositePropagator({ propagators: [make(), customPropagator] }),
      })

      it.each(BROKEN_METADATA)(
        'baggage metadata with $name: the request goes out without it',
        async ({ metadata }) => {
          for (let i = 0; i < 2; i++) {
            const response = await withUnsendableContext(metadata, () =>
              api.get<WireRequest>(`${server.origin}/bad`, { headers: { 'x-caller': '1' } }),
            )
            expect(response.status).toBe(200)
            const raw = response.data.rawHeaders
            expect(rawValues(raw, 'traceparent')).toHaveLength(1)
            expect(rawValues(raw, 'baggage')).toEqual(['ok=1,k=v'])
            expect(rawValues(raw, 'tracestate')).toEqual([])
            expect(rawValues(raw, 'x-custom')).toEqual([])
            expect(rawValues(raw, 'x-number')).toEqual([])
            expect(rawValues(raw, 'x-fine')).toEqual(['kept'])
            expect(rawValues(raw, 'x-caller')).toEqual(['1'])
            for (const value of raw) expect(value).toMatch(SENDABLE)
          }
          expectDropsReportedOnce(diagnostics.messages, writesBrokenTraceState)
        },
      )
    },
  )
})
