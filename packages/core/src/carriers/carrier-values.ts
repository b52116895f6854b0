/**
 * How a getter reports a header that arrived more than once. W3C Trace Context: a repeated
 * `traceparent` is invalid (the receiver restarts the trace), while list headers
 * (`tracestate`, `baggage`) are combined in order, as HTTP allows for comma-separated lists.
 *
 * @example
 * // a getter over a carrier that keeps repeated headers apart
 * get: (carrier, key) => combineHeaderValues(key, carrier.getAll(key))
 */
export function combineHeaderValues(key: string, values: readonly string[]): string | undefined {
  if (values.length === 0) return undefined
  if (values.length === 1) return values[0]
  return key.toLowerCase() === 'traceparent' ? undefined : values.join(',')
}

/**
 * A single header value that a layer below already joined with commas (Fetch `Headers`,
 * Node's `IncomingMessage`): a joined `traceparent` means it was repeated.
 *
 * @example
 * // a getter over a carrier that joins repeated headers with commas itself
 * get: (carrier, key) => checkJoinedValue(key, carrier.get(key))
 */
export function checkJoinedValue(key: string, value: string | null | undefined): string | undefined {
  if (value == null) return undefined
  if (value.includes(',') && key.toLowerCase() === 'traceparent') return undefined
  return value
}
