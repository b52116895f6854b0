import type { TextMapGetter } from '@opentelemetry/api'
import { checkJoinedValue } from './carrier-values'

/** The shape of Node's `IncomingHttpHeaders`, declared here so core needs no Node types. */
export type IncomingHeaders = Record<string, string | string[] | undefined>

/**
 * Reads W3C headers from Node's `IncomingMessage#headers`, whose keys are already lower-case
 * and whose repeated values Node has joined with commas: one property read per header, which
 * matters on a server's per-request path.
 *
 * @example
 * const parent = propagation.extract(ROOT_CONTEXT, req.headers, incomingHeadersGetter)
 */
export const incomingHeadersGetter: TextMapGetter<IncomingHeaders> = {
  keys: (headers) => Object.keys(headers),
  get(headers, key) {
    const value = headers[key]
    return typeof value === 'string' ? checkJoinedValue(key, value) : value
  },
}
