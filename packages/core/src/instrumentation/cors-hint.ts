import { diag, type TextMapSetter } from '@opentelemetry/api'
import { safely } from './guard'
import type { Injector, RequestOutcome } from './request-handle'

// Origins already explained: one warning per origin for the page's lifetime, and a bound so a
// page calling many failing origins cannot grow this without end.
const reported = new Set<string>()
const MAX_REPORTED = 100

// fetch rejects with a TypeError on a network error, a blocked preflight included ("Failed to
// fetch", "NetworkError when attempting to fetch resource.", "Load failed"); axios's XHR and
// fetch adapters say ERR_NETWORK. Read by name, so an error from another realm counts too.
function isNetworkError(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown }
  return name === 'TypeError' || code === 'ERR_NETWORK'
}

function report(origin: string, headers: ReadonlySet<string>): void {
  if (reported.has(origin) || reported.size >= MAX_REPORTED) return
  reported.add(origin)
  const names = [...headers].join(', ')
  // Once per origin: the hint names the fix, repeating it on every failed request adds nothing.
  diag.warn(
    `otel-http: a request to ${origin} failed with a network error after ${names} went into it: ` +
      'likely a CORS preflight rejecting them, which blocks a request that works untraced. Allow them ' +
      `there (Access-Control-Allow-Headers: ${names}) or leave ${origin} out of propagateTo.`,
  )
}

/** A cross-origin request's injector, recording what it adds, and the explanation of a failure. */
export interface CorsHint<Res> {
  inject: Injector
  explain(outcome: RequestOutcome<Res>): void
}

/**
 * For a cross-origin request from a page: the request's injector wrapped to record the headers
 * it adds, and `explain`, which reports a network error after trace headers were added through
 * `diag`. The browser reports a rejected preflight only in its console, and the span would only
 * say "Failed to fetch". `page` is the page's origin, read once when the adapter is created
 * (`pageOrigin()`). Outside a page, for the page's own origin, or when nothing may be injected,
 * undefined: no cost.
 *
 * @example
 * const hint = withCorsHint(url, injectorFor(url), pageOrigin())
 * const inject = hint ? hint.inject : injectorFor(url)
 * // … when the request ended: hint?.explain(outcome)
 */
export function withCorsHint<Res>(
  url: URL,
  injector: Injector | undefined,
  page: string | undefined,
): CorsHint<Res> | undefined {
  if (injector === undefined || page === undefined || url.origin === page) return undefined
  const added = new Set<string>()
  const record = <C>(setter: TextMapSetter<C>): TextMapSetter<C> => ({
    set(carrier, key, value) {
      added.add(key.toLowerCase())
      setter.set(carrier, key, value)
    },
  })
  return {
    inject: (ctx, carrier, setter) => injector(ctx, carrier, record(setter)),
    explain(outcome) {
      if (added.size > 0 && isNetworkError(outcome.error)) {
        safely('explaining a failed request', () => report(url.origin, added), undefined)
      }
    },
  }
}
