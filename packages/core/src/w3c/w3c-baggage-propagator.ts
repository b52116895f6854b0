import {
  type Baggage,
  type BaggageEntry,
  baggageEntryMetadataFromString,
  type Context,
  propagation,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api'
import { isToken } from '../carriers/http-token'
import { isTracingSuppressed } from '../policy/suppress-tracing'
import { grammaticalProperties } from './baggage-properties'

const BAGGAGE = 'baggage'
/** W3C Baggage limits: list members and bytes of the whole header. */
export const MAX_BAGGAGE_MEMBERS = 180
export const MAX_BAGGAGE_BYTES = 8192

function utf8Length(text: string): number {
  let bytes = text.length
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) continue
    if (code < 0x800) bytes += 1
    else if (code >= 0xd800 && code <= 0xdbff) {
      // A surrogate pair: 2 UTF-16 units, 4 bytes.
      bytes += 2
      i++
    } else bytes += 2
  }
  return bytes
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}

/**
 * Reads a combined `baggage` value. Malformed members (no `=`, a key that is not a token, bad
 * percent-encoding) are skipped, and so are properties that break the W3C grammar; members are kept in order while they fit the W3C limits
 * (180 members, 8192 bytes) and the rest are dropped whole. Never throws.
 */
export function parseBaggage(header: string): Record<string, BaggageEntry> | undefined {
  const entries: Record<string, BaggageEntry> = {}
  let count = 0
  let bytes = 0
  let start = 0
  while (start < header.length && count < MAX_BAGGAGE_MEMBERS) {
    let end = header.indexOf(',', start)
    if (end === -1) end = header.length
    const member = header.slice(start, end)
    start = end + 1
    const semicolon = member.indexOf(';')
    const pair = semicolon === -1 ? member : member.slice(0, semicolon)
    const eq = pair.indexOf('=')
    if (eq === -1) continue
    const rawKey = pair.slice(0, eq).trim()
    const rawValue = pair.slice(eq + 1).trim()
    if (!isToken(rawKey)) continue
    const key = decode(rawKey)
    const value = decode(rawValue)
    if (key === undefined || value === undefined) continue
    const size = utf8Length(member.trim()) + (count === 0 ? 0 : 1)
    if (bytes + size > MAX_BAGGAGE_BYTES) break
    bytes += size
    // Properties that break the grammar are left out, so they are never sent on.
    const metadata = semicolon === -1 ? '' : grammaticalProperties(member.slice(semicolon + 1)).text
    entries[key] = metadata ? { value, metadata: baggageEntryMetadataFromString(metadata) } : { value }
    count++
  }
  return count === 0 ? undefined : entries
}

function encode(text: string): string | undefined {
  try {
    return encodeURIComponent(text)
  } catch {
    // A lone surrogate cannot be encoded: drop the entry rather than throw.
    return undefined
  }
}

/**
 * Serialises a Baggage within the W3C limits; an entry that cannot be encoded or does not fit is
 * left out, and so are metadata properties that break the W3C grammar. Empty string when nothing
 * is left.
 */
export function serializeBaggage(baggage: Baggage): string {
  let text = ''
  let bytes = 0
  let count = 0
  for (const [key, entry] of baggage.getAllEntries()) {
    if (count === MAX_BAGGAGE_MEMBERS) break
    // encodeURIComponent leaves "(" and ")", which a token may not hold.
    const name = encode(key)?.replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'))
    const value = encode(String(entry.value))
    if (!name || value === undefined) continue
    const raw = entry.metadata?.toString()
    // Metadata is set by code, not parsed: only properties that follow the grammar are sent.
    const metadata = typeof raw === 'string' && raw !== '' ? grammaticalProperties(raw).text : ''
    const member = `${name}=${value}${metadata ? `;${metadata}` : ''}`
    const size = utf8Length(member) + (count === 0 ? 0 : 1)
    if (bytes + size > MAX_BAGGAGE_BYTES) continue
    text = count === 0 ? member : `${text},${member}`
    bytes += size
    count++
  }
  return text
}

const serializedBaggage = new WeakMap<Baggage, string>()

/**
 * A `TextMapPropagator` for the W3C `baggage` header with @opentelemetry/core's semantics
 * (percent-encoded keys and values, metadata kept as properties) that enforces the W3C limits
 * (180 members, 8192 bytes) both ways and never throws on malformed input. A Baggage object is
 * serialised once, however many requests carry it.
 *
 * @example
 * ```ts
 * import { propagation } from '@opentelemetry/api'
 * import { CompositePropagator } from '@opentelemetry/core'
 * import { w3cBaggagePropagator } from '@otel-http/core'
 *
 * propagation.setGlobalPropagator(
 *   new CompositePropagator({ propagators: [myB3Propagator, w3cBaggagePropagator()] }),
 * )
 * ```
 */
export function w3cBaggagePropagator(): TextMapPropagator {
  return {
    inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
      const baggage = propagation.getBaggage(context)
      if (!baggage || isTracingSuppressed(context)) return
      let text = serializedBaggage.get(baggage)
      if (text === undefined) {
        text = serializeBaggage(baggage)
        serializedBaggage.set(baggage, text)
      }
      if (text) setter.set(carrier, BAGGAGE, text)
    },

    extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
      const header = getter.get(carrier, BAGGAGE)
      const text = Array.isArray(header) ? header.join(',') : header
      if (typeof text !== 'string' || text === '') return context
      const entries = parseBaggage(text)
      return entries ? propagation.setBaggage(context, propagation.createBaggage(entries)) : context
    },

    fields: () => [BAGGAGE],
  }
}
