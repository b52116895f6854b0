import { tracedFetch } from '@otel-http/fetch'
import { tracingInterceptor } from '@otel-http/undici'
import { Agent, getGlobalDispatcher, setGlobalDispatcher, fetch as undiciFetch } from 'undici'
import { describe, expect, it } from 'vitest'
import { useLoopbackServer } from '../support/loopback-server'
import { setupMetrics } from '../support/metrics'

// Two otel-http layers on one request (tracedFetch over an Agent composed with tracingInterceptor):
// one request, one measurement, whichever layer records it and whatever `spans` says.
const DURATION = 'http.client.request.duration'
const sdk = setupMetrics()
const target = useLoopbackServer()

const scopesOf = async () => (await sdk.histogram(DURATION)).flatMap((p) => Array(p.count).fill(p.scope))

describe('stacked client adapters', () => {
  it.each([
    ['both with spans', {}, {}],
    ['tracedFetch with spans: false', { spans: false }, {}],
    ['the interceptor with spans: false', {}, { spans: false }],
    ['both with spans: false', { spans: false }, { spans: false }],
  ])('%s: one measurement per request, by the outer layer', async (_, outer, inner) => {
    const dispatcher = new Agent().compose(tracingInterceptor(inner))
    try {
      const fetch = tracedFetch(undiciFetch, outer)
      await (await fetch(`${target.origin}/a`, { dispatcher })).text()
      await (await fetch(`${target.origin}/status/503`, { dispatcher })).text()
      expect(await scopesOf()).toEqual(['@otel-http/fetch', '@otel-http/fetch'])
    } finally {
      await dispatcher.close()
    }
  })

  it("tracedFetch() over Node's global fetch with a traced global dispatcher: one measurement", async () => {
    const previous = getGlobalDispatcher()
    setGlobalDispatcher(new Agent().compose(tracingInterceptor()))
    try {
      await (await tracedFetch()(`${target.origin}/b`)).text()
      expect(await scopesOf()).toEqual(['@otel-http/fetch'])
    } finally {
      setGlobalDispatcher(previous)
    }
  })
})
