import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CompositePropagator } from '@opentelemetry/core'
import { instrumentAxios } from '@otel-http/axios'
import axios from 'axios'
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

setupTracing()
const diagnostics = captureDiag()
// Answers with the raw header pairs it received.
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify(req.rawHeaders))
})
let origin: string
beforeAll(async () => {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})

const warningsAbout = (text: string) => diagnostics.messages.filter((m) => m.includes(text))
const values = (raw: string[], name: string) =>
  raw.filter((_, i) => i % 2 === 1 && raw[i - 1]!.toLowerCase() === name)

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
              api.get<string[]>(`${origin}/bad`, { headers: { 'x-caller': '1' } }),
            )
            expect(response.status).toBe(200)
            const raw = response.data
            expect(values(raw, 'traceparent')).toHaveLength(1)
            expect(values(raw, 'baggage')).toEqual(['ok=1,k=v'])
            expect(values(raw, 'tracestate')).toEqual([])
            expect(values(raw, 'x-custom')).toEqual([])
            expect(values(raw, 'x-number')).toEqual([])
            expect(values(raw, 'x-fine')).toEqual(['kept'])
            expect(values(raw, 'x-caller')).toEqual(['1'])
            for (const value of raw) expect(value).toMatch(SENDABLE)
          }
          expect(warningsAbout('"x-custom"')).toHaveLength(1)
          expect(warningsAbout('"x-number"')).toHaveLength(1)
          expect(warningsAbout('baggage key "k"')).toHaveLength(1)
          if (writesBrokenTraceState) expect(warningsAbout('"tracestate"')).toHaveLength(1)
        },
      )
    },
  )
})
