import { tracingInterceptor } from '@otel-http/undici'
import { Agent, type Dispatcher, request } from 'undici'
import type { VariantFactory } from '../variants'

/** `undici.request` on an Agent of its own per variant (so each keeps its warm connections). */
export const undiciVariants: VariantFactory = (url, constantHeaders) => {
  const send = (dispatcher: Dispatcher, headers?: Record<string, string>) => async () => {
    const { body } = await request(url, { dispatcher, headers })
    await body.dump()
  }
  return {
    bare: send(new Agent()),
    headers: send(new Agent(), constantHeaders),
    'spans-off': send(new Agent().compose(tracingInterceptor({ spans: false }))),
    'spans-on': send(new Agent().compose(tracingInterceptor())),
    auto: send(new Agent()),
  }
}
