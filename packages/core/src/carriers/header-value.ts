import { diag, type TextMapSetter } from '@opentelemetry/api'
import { isToken } from './http-token'

// What every platform accepts in a field value: HTAB, space, visible ASCII and obs-text
// (0x80–0xFF). Node's http and undici reject anything else (CR, LF, NUL, other controls, DEL);
// a Fetch `Headers` rejects CR, LF and NUL, and any character above U+00FF. (A charCodeAt loop
// was tried: 2 000 more instructions per request for three values than this RegExp.)
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/

/**
 * True when `value` is a string every platform accepts as a header value: no CR, LF or other
 * control character except HTAB, nothing above U+00FF.
 *
 * @example
 * ```ts
 * // internal: validatingSetter's check (not exported from the package)
 * isValidHeaderValue('k=v;p=1') // true
 * isValidHeaderValue('a\nb') // false
 * ```
 */
export function isValidHeaderValue(value: unknown): value is string {
  return typeof value === 'string' && !INVALID_VALUE.test(value)
}

const reported = new Set<string>()
const MAX_REPORTED = 1000

function reportDropped(key: unknown, what: string): void {
  const name = typeof key === 'string' ? key.slice(0, 64) : `(${typeof key})`
  if (reported.has(name) || reported.size >= MAX_REPORTED) return
  reported.add(name)
  diag.warn(
    `otel-http: a header ${JSON.stringify(name)} with ${what} was not sent; ` +
      'further ones with this name are dropped silently',
  )
}

// Names seen valid: propagators write the same few (traceparent, tracestate, baggage) on every
// request, so each is matched against the token grammar once. Bounded like the reports.
const validNames = new Set<string>()

function isValidName(key: unknown): boolean {
  // The W3C names, written on every request, answer without a lookup.
  if (key === 'traceparent' || key === 'baggage' || key === 'tracestate') return true
  if (typeof key !== 'string') return false
  if (validNames.has(key)) return true
  if (!isToken(key)) return false
  if (validNames.size < MAX_REPORTED) validNames.add(key)
  return true
}

/** A setter that drops what the platform would reject; a class so a wrapper is known by `instanceof`, not a lookup. */
class ValidatingSetter<C> implements TextMapSetter<C> {
  constructor(private readonly inner: TextMapSetter<C>) {}

  set(carrier: C, key: string, value: string): void {
    if (!isValidName(key)) reportDropped(key, 'an invalid name')
    else if (!isValidHeaderValue(value))
      reportDropped(key, typeof value === 'string' ? 'an invalid value' : `a ${typeof value} value`)
    else this.inner.set(carrier, key, value)
  }
}

const wrappers = new WeakMap<TextMapSetter<never>, TextMapSetter<never>>()
// One setter and its wrapper held strongly: the cost of skipping a WeakMap lookup per request.
let lastSetter: TextMapSetter<never> | undefined
let lastWrapper: TextMapSetter<never> | undefined

/**
 * Wraps a `TextMapSetter` so that a header the platform would reject is dropped instead of
 * breaking the request, as Rust `opentelemetry-http`'s `HeaderInjector` does: a value with CR,
 * LF or another control character (HTAB aside), a character above U+00FF or a non-string
 * value, and a name that is not an HTTP token. Each dropped header name is reported once per
 * process through `diag.warn`. Every carrier setter of otel-http is already wrapped; wrapping
 * one twice returns it unchanged, and the same setter always gets the same wrapper.
 *
 * @example
 * ```ts
 * import { propagation, context } from '@opentelemetry/api'
 * import { validatingSetter } from '@otel-http/core'
 *
 * const setter = validatingSetter({ set: (map: Map<string, string>, key, value) => map.set(key, value) })
 * propagation.inject(context.active(), new Map(), setter)
 * ```
 */
export function validatingSetter<C>(setter: TextMapSetter<C>): TextMapSetter<C> {
  // Every otel-http setter is a wrapper already; an adapter passes the same one on every request.
  if (setter instanceof ValidatingSetter) return setter
  if (setter === lastSetter) return lastWrapper as TextMapSetter<C>
  // Not an object: nothing to wrap (and no WeakMap key); the caller's guard sees it fail.
  if (Object(setter) !== setter) return setter
  let wrapper = wrappers.get(setter as TextMapSetter<never>) as TextMapSetter<C> | undefined
  if (!wrapper) {
    wrapper = new ValidatingSetter(setter)
    wrappers.set(setter as TextMapSetter<never>, wrapper as TextMapSetter<never>)
  }
  lastSetter = setter as TextMapSetter<never>
  lastWrapper = wrapper as TextMapSetter<never>
  return wrapper
}
