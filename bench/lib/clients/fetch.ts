import { tracedFetch } from '@otel-http/fetch'
import { endClientSpan, injectedHeaders, startClientSpan } from '../by-hand'
import type { VariantFactory } from '../variants'

/** Node's global fetch (its bundled undici); instrumentation-undici covers it in the `auto` process. */
export const fetchVariants: VariantFactory = (url, constantHeaders) => {
  const bare = globalThis.fetch
  const spansOff = tracedFetch(bare, { spans: false })
  const spansOn = tracedFetch(bare)
  const read = (response: Response) => response.arrayBuffer()
  return {
    bare: () => bare(url).then(read),
    headers: () => bare(url, { headers: constantHeaders }).then(read),
    'hand-inject': () => bare(url, { headers: injectedHeaders() }).then(read),
    'spans-off': () => spansOff(url).then(read),
    'hand-span': async () => {
      const client = startClientSpan('GET', url)
      try {
        const response = await bare(url, { headers: injectedHeaders(client.context) })
        endClientSpan(client.span, response.status)
        return await read(response)
      } catch (error) {
        client.span.end()
        throw error
      }
    },
    'spans-on': () => spansOn(url).then(read),
    auto: () => bare(url).then(read),
  }
}
