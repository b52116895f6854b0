import { context } from '@opentelemetry/api'
import { tracedFetch } from '@otel-http/fetch'
import { endClientSpan, injectedHeaders, startClientSpan } from '../by-hand'
import type { VariantFactory } from '../variants'

/** Node's global fetch (its bundled undici); instrumentation-undici covers it in the `auto` process. */
export const fetchVariants: VariantFactory = (url, constantHeaders) => {
  const bare = globalThis.fetch
  const spansOff = tracedFetch(bare, { spans: false })
  const spansOn = tracedFetch(bare)
  const read = (response: Response) => response.arrayBuffer()
  /** The by-hand span + inject; `inContext`: fetch runs in the span's context and the span ends in a `then`, as in tracedFetch. */
  const byHandSpan = (inContext: boolean) => () => {
    const client = startClientSpan('GET', url)
    const init = { headers: injectedHeaders(client.context) }
    const pending = inContext ? context.with(client.context, bare, undefined, url, init) : bare(url, init)
    return pending.then(
      (response) => {
        endClientSpan(client.span, response.status)
        return read(response)
      },
      (error: unknown) => {
        client.span.end()
        throw error
      },
    )
  }
  return {
    bare: () => bare(url).then(read),
    headers: () => bare(url, { headers: constantHeaders }).then(read),
    'hand-inject': () => bare(url, { headers: injectedHeaders() }).then(read),
    'spans-off': () => spansOff(url).then(read),
    'hand-span': byHandSpan(false),
    'spans-on': () => spansOn(url).then(read),
    auto: () => bare(url).then(read),
    'hand-span-in-context': byHandSpan(true),
  }
}
