const decoder = new TextDecoder()

/**
 * A header value as text: Kafka and AMQP clients deliver what another client sent as bytes
 * (a Buffer) where we wrote a string, so bytes are decoded as UTF-8; anything else is no value.
 */
export function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return decoder.decode(value)
  return undefined
}
