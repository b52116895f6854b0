import { tracingInterceptor } from '@otel-http/undici'
import { Agent, type Dispatcher, request } from 'undici'
import { endClientSpan, injectedHeaders, startClientSpan } from '../by-hand'
import type { VariantFactory } from '../variants'

/** `undici.request` on an Agent of its own per variant (so each keeps its warm connections). */
export const undiciVariants: VariantFactory = (url, constantHeaders) => {
  const send = (dispatcher: Dispatcher, headers?: () => Record<string, string>) => async () => {
    const { body } = await request(url, { dispatcher, headers: headers?.() })
    await body.dump()
  }
  const byHandSpan = (dispatcher: Dispatcher) => async () => {
    const client = startClientSpan('GET', url)
    try {
      const { statusCode, body } = await request(url, {
        dispatcher,
        headers: injectedHeaders(client.context),
      })
      await body.dump()
      endClientSpan(client.span, statusCode)
    } catch (error) {
      client.span.end()
      throw error
    }
  }
  return {
    bare: send(new Agent()),
    headers: send(new Agent(), () => constantHeaders),
    'hand-inject': send(new Agent(), () => injectedHeaders()),
    'spans-off': send(new Agent().compose(tracingInterceptor({ spans: false }))),
    'hand-span': byHandSpan(new Agent()),
    'spans-on': send(new Agent().compose(tracingInterceptor())),
    auto: send(new Agent()),
    // The same inject, made where an interceptor runs: what composing one costs undici 7 per
    // request (the composed Proxy, the handler wrapped for the interceptor and unwrapped for the
    // Agent, the response headers turned from raw to an object and back).
    'hand-inject-composed': send(
      new Agent().compose(
        (dispatch): Dispatcher.Dispatch =>
          (opts, handler) =>
            dispatch({ ...opts, headers: injectedHeaders() }, handler),
      ),
    ),
  }
}
