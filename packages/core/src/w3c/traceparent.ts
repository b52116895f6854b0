/**
 * The fields of a `traceparent` header this implementation understands.
 *
 * @example
 * const parsed: Traceparent | undefined = parseTraceparent(header)
 */
export interface Traceparent {
  traceId: string
  spanId: string
  /** Only the flags this version knows (sampled 0x01, random-trace-id 0x02); unknown bits are 0. */
  flags: number
}

/** Level 2 trace-flags: sampled (0x01) and random-trace-id (0x02). Every other bit is sent as 0. */
export const KNOWN_FLAGS = 0x03
export const RANDOM_TRACE_ID_FLAG = 0x02

const VERSION_00_LENGTH = 55

// Lower-case hex digit value by char code, -1 for anything else (upper case hex included: the spec's
// HEXDIGLC). A table lookup per character: no regex, so no backtracking and no allocation.
const HEX = new Int8Array(128).fill(-1)
for (let i = 0; i < 10; i++) HEX[48 + i] = i
for (let i = 0; i < 6; i++) HEX[97 + i] = 10 + i

/** True when header[start, end) is lower-case hex and not all zeros. */
function isNonZeroHex(header: string, start: number, end: number): boolean {
  let nonZero = false
  for (let i = start; i < end; i++) {
    const code = header.charCodeAt(i)
    const value = code < 128 ? HEX[code]! : -1
    if (value < 0) return false
    if (value !== 0) nonZero = true
  }
  return nonZero
}

function hexByte(header: string, at: number): number {
  const high = header.charCodeAt(at)
  const low = header.charCodeAt(at + 1)
  const h = high < 128 ? HEX[high]! : -1
  const l = low < 128 ? HEX[low]! : -1
  return h < 0 || l < 0 ? -1 : (h << 4) | l
}

const isOws = (code: number): boolean => code === 0x20 || code === 0x09

/**
 * Parses a `traceparent` value per W3C Trace Context Level 2. Returns undefined for anything the
 * receiver must ignore (so the trace restarts): version `ff`, an all-zero trace or parent id,
 * upper-case or non-hex characters, wrong lengths, a version-00 header with trailing data, or a
 * comma (a repeated header joined by a transport). Future versions are read per the spec's
 * forward-compatibility rules: the version-00 fields, then either the end or a dash.
 *
 * @example
 * const parsed = parseTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')
 * // { traceId: '0af7…', spanId: 'b7ad…', flags: 1 }; undefined: restart the trace
 */
export function parseTraceparent(raw: string): Traceparent | undefined {
  let start = 0
  let end = raw.length
  // HTTP strips optional whitespace around a field value; carriers other than HTTP may not.
  while (start < end && isOws(raw.charCodeAt(start))) start++
  while (end > start && isOws(raw.charCodeAt(end - 1))) end--
  const header = start === 0 && end === raw.length ? raw : raw.slice(start, end)
  const length = header.length
  if (length < VERSION_00_LENGTH) return undefined

  const version = hexByte(header, 0)
  if (version < 0 || version === 0xff || header.charCodeAt(2) !== 0x2d) return undefined
  if (
    version === 0
      ? length !== VERSION_00_LENGTH
      : length > VERSION_00_LENGTH && header.charCodeAt(55) !== 0x2d
  ) {
    return undefined
  }
  if (header.charCodeAt(35) !== 0x2d || header.charCodeAt(52) !== 0x2d) return undefined
  if (!isNonZeroHex(header, 3, 35) || !isNonZeroHex(header, 36, 52)) return undefined
  const flags = hexByte(header, 53)
  if (flags < 0) return undefined
  // Later fields of a future version are opaque, but a comma can only mean two joined headers.
  if (length > VERSION_00_LENGTH && header.includes(',', 56)) return undefined
  return { traceId: header.slice(3, 35), spanId: header.slice(36, 52), flags: flags & KNOWN_FLAGS }
}

const FLAG_TEXT = ['00', '01', '02', '03']

/**
 * Formats a version-00 `traceparent`; ids must already be valid lower-case hex.
 *
 * @example
 * formatTraceparent('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', 0x01)
 * // '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
 */
export function formatTraceparent(traceId: string, spanId: string, flags: number): string {
  return `00-${traceId}-${spanId}-${FLAG_TEXT[flags & KNOWN_FLAGS]}`
}

/** True when `id` has `length` lower-case hex characters and is not all zeros. */
export function isValidId(id: string, length: number): boolean {
  return typeof id === 'string' && id.length === length && isNonZeroHex(id, 0, length)
}
