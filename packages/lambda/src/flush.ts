import { diag, type TracerProvider } from '@opentelemetry/api'

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
 * Flushes `provider` (when it can be flushed) but waits at most `timeoutMs`: Lambda freezes the
 * environment as soon as the handler returns, so spans must be exported first, yet a hung
 * exporter must not hold the function until its own timeout. Never throws.
 */
export async function flushWithin(provider: TracerProvider, timeoutMs: number): Promise<void> {
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
      diag.warn(`otel-http: flushing spans took longer than ${timeoutMs} ms; returning without waiting`)
    }
  } catch (error) {
    diag.error('otel-http: flushing spans failed; the invocation result is returned anyway', error)
  } finally {
    clearTimeout(timer)
  }
}
