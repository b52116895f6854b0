import { tracedFetch } from '@otel-http/fetch'
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
    'spans-off': () => spansOff(url).then(read),
    'spans-on': () => spansOn(url).then(read),
    auto: () => bare(url).then(read),
  }
}
