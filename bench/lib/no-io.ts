/**
 * The transports of the no-I/O processes (hot-path.ts, metrics-cost.ts): each answers 200 at once,
 * so what a round measures is the client's own code and the adapter's, never the network.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http'
import { type Context, context } from '@opentelemetry/api'
import axios, { type AxiosInstance } from 'axios'
import type { Dispatcher } from 'undici'
// undici's own request validation (a Client builds one of these from every dispatch it is given).
import CoreRequest from 'undici/lib/core/request.js'

/** The URL every no-I/O call is made to (nothing listens: nothing is sent). */
export const NO_IO_URL = 'http://127.0.0.1:8080/items/42?view=full'

/**
 * A fetch that answers an empty 200 at once, after fetch's first step with the headers it is
 * given (`new Headers(init.headers)`: webidl conversion and a name and value check of each, so
 * each value is flattened), what every variant's headers cost the real client.
 *
 * @example
 * const fetch = tracedFetch(answeringFetch())
 * await fetch(NO_IO_URL, { method: 'GET' })
 */
export function answeringFetch(): (input: unknown, init?: RequestInit) => Promise<Response> {
  const response = new Response(null, { status: 200 })
  return (_input, init) => {
    new Headers(init?.headers)
    return Promise.resolve(response)
  }
}

/**
 * A dispatch that answers 200 with an empty body at once, calling the handler in the order undici's
 * controller API does, after what undici's `Client` does first with every request it is given:
 * `new Request(origin, opts, handler)` from undici's core, which checks the method, the path and
 * every header name and value (flattening each value), as it does over a real socket.
 *
 * @example
 * const dispatch = tracingInterceptor()(answeringDispatch())
 * dispatch(noIoDispatchOptions(), handler)
 */
export function answeringDispatch() {
  const controller = { abort() {}, pause() {}, resume() {}, paused: false, aborted: false, reason: null }
  return (opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean => {
    new CoreRequest(opts.origin, opts, handler)
    handler.onRequestStart?.(controller, {})
    handler.onResponseStart?.(controller, 200, { 'content-length': '0' }, 'OK')
    handler.onResponseEnd?.(controller, {})
    return true
  }
}

/**
 * A GET of `NO_IO_URL`, as dispatch options.
 *
 * @example
 * answeringDispatch()(noIoDispatchOptions(), handler)
 */
export const noIoDispatchOptions = (): Dispatcher.DispatchOptions => ({
  origin: 'http://127.0.0.1:8080',
  path: '/items/42?view=full',
  method: 'GET',
  headers: {},
})

/**
 * An axios instance (text responses) whose adapter checks the headers as node:http would, then
 * resolves an empty 200 at once.
 *
 * @example
 * const instance = noIoAxios()
 * instrumentAxios(instance)
 * await instance.get(NO_IO_URL)
 */
export function noIoAxios(): AxiosInstance {
  return axios.create({
    responseType: 'text',
    adapter: async (config) => {
      // What axios's http adapter hands node:http (`headers.toJSON()`), checked as ClientRequest
      // checks each header it is given: the client's own work, short of the socket.
      // (node:http takes an array for a repeated header too; its types name only the string.)
      const headers = config.headers.toJSON() as Record<string, string>
      for (const [name, value] of Object.entries(headers)) {
        validateHeaderName(name)
        validateHeaderValue(name, value)
      }
      return { data: '', status: 200, statusText: 'OK', headers: {}, config, request: {} }
    },
  })
}

/**
 * CPU µs per call of `call` over about `roundMs`, calls made one after another (each awaited) in `ctx`.
 *
 * @example
 * const { perCall, calls } = await cpuPerCall(requestContext(), () => fetch(NO_IO_URL), 500)
 */
export function cpuPerCall(
  ctx: Context,
  call: () => unknown,
  roundMs: number,
): Promise<{ perCall: number; calls: number }> {
  return context.with(ctx, async () => {
    let calls = 0
    const cpuBefore = process.cpuUsage()
    const deadline = performance.now() + roundMs
    while (performance.now() < deadline) {
      for (let i = 0; i < 200; i++) await call()
      calls += 200
    }
    const cpu = process.cpuUsage(cpuBefore)
    return { perCall: (cpu.user + cpu.system) / calls, calls }
  })
}
