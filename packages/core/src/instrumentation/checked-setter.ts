import { diag, type TextMapSetter } from '@opentelemetry/api'

// RFC 9110 field-value: visible ASCII, obs-text (0x80-0xFF), space and tab. CR, LF, NUL and other
// controls, and anything above U+00FF, make fetch, undici and Node throw when the request is sent.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

const reported = new Set<string>()

function drop(key: string, value: unknown): void {
  if (reported.has(key) || reported.size >= 100) return
  reported.add(key)
  const what =
    typeof value === 'string' ? 'a value no HTTP client accepts' : `a ${typeof value}, not a string`
  diag.error(`otel-http: the propagator gave "${key}" ${what}; the header was not sent`)
}

const checkedSetters = new WeakMap<TextMapSetter<unknown>, TextMapSetter<unknown>>()

/**
 * The setter a propagator writes through: a value the platform would reject is dropped and
 * reported once per header name, as Rust's `HeaderInjector` does, instead of failing the request.
 */
export function checkedSetter<C>(setter: TextMapSetter<C>): TextMapSetter<C> {
  const inner = setter as TextMapSetter<unknown>
  let checked = checkedSetters.get(inner)
  if (!checked) {
    checked = {
      set(carrier, key, value) {
        if (typeof value === 'string' && FIELD_VALUE.test(value)) inner.set(carrier, key, value)
        else drop(key, value)
      },
    }
    checkedSetters.set(inner, checked)
  }
  return checked as TextMapSetter<C>
}
