import { diag } from '@opentelemetry/api'

interface Flushable {
  forceFlush(): Promise<unknown>
}

// The global provider is a ProxyTracerProvider; the SDK provider that can flush is its delegate.
function flushableOf(provider: unknown, depth = 0): Flushable | undefined {
  if (typeof provider !== 'object' || provider === null || depth > 2) return undefined
  const candidate = provider as { forceFlush?: unknown; getDelegate?: unknown }
  if (typeof candidate.forceFlush === 'function') return candidate as Flushable
  if (typeof candidate.getDelegate === 'function') {
    return flushableOf((candidate.getDelegate as () => unknown).call(provider), depth + 1)
  }
  return undefined
}

/**
 * Flushes `provider` (a tracer or meter provider, when it can be flushed) but waits at most
 * `timeoutMs`: Lambda freezes the environment as soon as the handler returns, so spans and
 * metrics must be exported first, yet a hung exporter must not hold the function until its own
 * timeout. `what` names it in diag. Never throws.
 */
export async function flushWithin(provider: unknown, timeoutMs: number, what = 'spans'): Promise<void> {
  const target = flushableOf(provider)
  if (!target) return
  let timer: ReturnType<typeof setTimeout> | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, timeoutMs))
  })
  try {
    const flushed = Promise.resolve()
      .then(() => target.forceFlush())
      .then(() => 'flushed' as const)
    const outcome = await Promise.race([flushed, timedOut])
    if (outcome === 'timeout') {
      diag.warn(`otel-http: flushing ${what} took longer than ${timeoutMs} ms; returning without waiting`)
    }
  } catch (error) {
    diag.error(`otel-http: flushing ${what} failed; the invocation result is returned anyway`, error)
  } finally {
    clearTimeout(timer)
  }
}
