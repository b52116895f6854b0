import { diag, type TextMapSetter } from '@opentelemetry/api'
import { pageOrigin } from '../policy/page-origin'
import { safely } from './guard'
import type { Finish, Injector } from './request-handle'

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

/**
 * For a cross-origin request from a page: the request's injector and finish, wrapped so that a
 * network error after trace headers were added is explained through `diag`. The browser reports
 * a rejected preflight only in its console, and the span would only say "Failed to fetch".
 * Outside a page, for the page's own origin, or when nothing may be injected, both are returned
 * as they are, at no cost.
 *
 * @example
 * const [inject, finish] = withCorsHint(url, injectorFor(url), finisher(info))
 * return new OutboundHandle(span, ctx, finish, inject, spanContext)
 */
export function withCorsHint<Res>(
  url: URL,
  injector: Injector | undefined,
  finish: Finish<Res>,
): [Injector | undefined, Finish<Res>] {
  const page = pageOrigin()
  if (injector === undefined || page === undefined || url.origin === page) return [injector, finish]
  const added = new Set<string>()
  const record = <C>(setter: TextMapSetter<C>): TextMapSetter<C> => ({
    set(carrier, key, value) {
      added.add(key.toLowerCase())
      setter.set(carrier, key, value)
    },
  })
  return [
    (ctx, carrier, setter) => injector(ctx, carrier, record(setter)),
    (span, outcome, failed) => {
      if (added.size > 0 && isNetworkError(outcome.error)) {
        safely('explaining a failed request', () => report(url.origin, added), undefined)
      }
      finish(span, outcome, failed)
    },
  ]
}
