import { diag, type TextMapSetter } from '@opentelemetry/api'
import { pageOrigin } from '../policy/page-origin'
import type { ClientCall } from './client-instrumentation'
import { safely } from './safely'

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
 * Wraps a cross-origin request's handle, in a page, so that a network error after trace headers
 * were added is explained through `diag`: the browser reports a rejected preflight only to its
 * console, and the span would only say "Failed to fetch". Outside a page, or for the page's own
 * origin, the handle is returned as it is, at no cost.
 */
export function withCorsHint<Res>(url: URL, call: ClientCall<Res>): ClientCall<Res> {
  const page = pageOrigin()
  if (page === undefined || url.origin === page) return call
  const added = new Set<string>()
  let ended = false
  return {
    span: call.span,
    context: call.context,
    inject<C>(carrier: C, setter: TextMapSetter<C>) {
      call.inject(carrier, {
        set(target, key, value) {
          added.add(key.toLowerCase())
          setter.set(target, key, value)
        },
      })
    },
    end(outcome) {
      if (!ended && added.size > 0 && outcome.error !== undefined) {
        safely(
          'explaining a failed request',
          () => isNetworkError(outcome.error) && report(url.origin, added),
          undefined,
        )
      }
      ended = true
      call.end(outcome)
    },
  }
}
