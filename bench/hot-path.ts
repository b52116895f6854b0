/**
 * The hot-path process: `hot-path.ts <client> <variant> <propagator>`. Measures the CPU one call
 * costs with the transport replaced by an immediate answer (a resolved Response, a dispatch that
 * completes synchronously, an axios adapter that resolves), so what remains is the client's own
 * code plus, for the traced variants, the adapter's: the part the I/O benchmark cannot resolve
 * below a few µs on a noisy machine.
 */
import { context } from '@opentelemetry/api'
import { instrumentAxios } from '@otel-http/axios'
import { tracedFetch } from '@otel-http/fetch'
import { tracingInterceptor } from '@otel-http/undici'
import axios from 'axios'
import type { Dispatcher } from 'undici'
import { serveRequests } from './processes'
import { type PropagatorChoice, requestContext, setupSdk } from './sdk'
import type { ClientName } from './variants'

type HotVariant = 'bare' | 'spans-off' | 'spans-on'
const [client, variant, propagator] = process.argv.slice(2) as [ClientName, HotVariant, PropagatorChoice]

const sdk = setupSdk(propagator)
const ctx = requestContext()
const URL_TEXT = 'http://127.0.0.1:8080/items/42?view=full'
const traced = variant !== 'bare'
const spans = variant === 'spans-on'

type Call = () => unknown

function fetchCall(): Call {
  const response = new Response(null, { status: 200 })
  const stub = (_input: unknown, _init?: unknown) => Promise.resolve(response)
  const fetch = traced ? tracedFetch(stub, { spans }) : stub
  return () => fetch(URL_TEXT, { method: 'GET' })
}

function undiciCall(): Call {
  const controller = { abort() {}, pause() {}, resume() {}, paused: false, aborted: false, reason: null }
  // A dispatch that answers at once, in the order undici's controller API calls a handler.
  const answer = (_opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) => {
    handler.onRequestStart?.(controller, {})
    handler.onResponseStart?.(controller, 200, { 'content-length': '0' }, 'OK')
    handler.onResponseEnd?.(controller, {})
    return true
  }
  const dispatch = traced ? tracingInterceptor({ spans })(answer) : answer
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart() {},
    onResponseStart() {},
    onResponseData() {},
    onResponseEnd() {},
    onResponseError() {},
  }
  const opts: Dispatcher.DispatchOptions = {
    origin: 'http://127.0.0.1:8080',
    path: '/items/42?view=full',
    method: 'GET',
    headers: {},
  }
  return () => dispatch(opts, handler)
}

function axiosCall(): Call {
  const instance = axios.create({
    responseType: 'text',
    adapter: async (config) => ({
      data: '',
      status: 200,
      statusText: 'OK',
      headers: {},
      config,
      request: {},
    }),
  })
  if (traced) instrumentAxios(instance, { spans })
  return () => instance.get(URL_TEXT)
}

const call = { fetch: fetchCall, undici: undiciCall, axios: axiosCall }[client]()

/** CPU µs per call over about `roundMs`, calls made one after another in the request context. */
async function measure(roundMs: number): Promise<number> {
  return context.with(ctx, async () => {
    let calls = 0
    const cpuBefore = process.cpuUsage()
    const deadline = performance.now() + roundMs
    while (performance.now() < deadline) {
      for (let i = 0; i < 200; i++) await call()
      calls += 200
    }
    const cpu = process.cpuUsage(cpuBefore)
    return (cpu.user + cpu.system) / calls
  })
}

serveRequests(
  async (message) => {
    const perCall = await measure((message as unknown as { roundMs: number }).roundMs)
    // Spans reach the exporter between rounds, off the clock.
    await sdk.exportedSpans()
    return perCall
  },
  { ready: true },
)
