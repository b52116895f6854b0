import type { TextMapSetter } from '@opentelemetry/api'
import { copyHeaderRecord, type HeaderRecord, recordSetter } from '../carriers/record-carrier'
import { safely } from '../instrumentation/guard'
import type { OutboundHandle } from '../instrumentation/request-handle'

const setter = recordSetter as TextMapSetter<Record<string, string>>

/** The requests one call makes after its first: redirect hops, and resends of any kind. */
export interface RedirectHops {
  /**
   * The headers for the call's next request, to `url`. Where `propagateTo` allows `url`, they
   * carry the call's trace headers; elsewhere (and for an unknown `url`) the values the call
   * wrote are taken out, while a header the caller set to something else stays. Returns a new
   * record, or `headers` itself when there is nothing to take out; `headers` is never changed.
   * Each call counts one resend on the span (`http.request.resend_count`).
   */
  next(url: URL | undefined, headers: HeaderRecord | undefined): HeaderRecord | undefined
}

function without(headers: HeaderRecord, ours: Readonly<Record<string, string>>): HeaderRecord {
  let copy: HeaderRecord | undefined
  for (const name of Object.keys(headers)) {
    const mine = ours[name.toLowerCase()]
    const value = headers[name]
    if (mine === undefined || value === undefined) continue
    const values = Array.isArray(value) ? (value as string[]) : [String(value)]
    const kept = values.filter((v) => v !== mine)
    if (kept.length === values.length) continue
    copy ??= copyHeaderRecord(headers)
    if (kept.length === 0) delete copy[name]
    else copy[name] = kept
  }
  return copy ?? headers
}

/**
 * Applies `propagateTo` to every request a call makes after its first, the check a platform's
 * own redirect handling does not make: a redirect to a third party must not carry the first
 * request's `traceparent` and `baggage`, and a hop back to an allowed destination gets them
 * again. The decision behind every adapter's redirect handling (fetch's dispatcher, axios's
 * `beforeRedirect`).
 *
 * @example
 * const hops = redirectHops(call)
 * // before each redirect hop, with the URL it goes to:
 * options.headers = hops.next(new URL(options.href), options.headers)
 */
export function redirectHops(call: Pick<OutboundHandle, 'span' | 'inject'>): RedirectHops {
  let resends = 0
  // What the call writes; the same on every hop (same context, same propagator), so it is
  // derived once, from the first request or the first allowed hop.
  let ours: Record<string, string> | undefined
  return {
    next(url, headers) {
      resends++
      const span = call.span
      if (span)
        safely(
          'recording a resend',
          () => void span.setAttribute('http.request.resend_count', resends),
          undefined,
        )
      const wanted: Record<string, string> = {}
      if (url) call.inject(wanted, setter, url)
      if (Object.keys(wanted).length > 0) {
        ours = wanted
        const copy: HeaderRecord = copyHeaderRecord(headers)
        for (const [name, value] of Object.entries(wanted)) recordSetter.set(copy, name, value)
        return copy
      }
      if (!headers) return headers
      if (!ours) {
        ours = {}
        call.inject(ours, setter)
      }
      return without(headers, ours)
    },
  }
}
