import type { Context } from '@opentelemetry/api'
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base'

/**
 * A span processor that counts spans started but not yet ended. A SERVER span ends when its
 * response has been written, which can be after the caller already has the response in hand:
 * the demo waits for this count to reach zero instead of guessing with a timer.
 */
export class SpanTracker implements SpanProcessor {
  private open = 0
  private waiters: Array<() => void> = []

  onStart(_span: Span, _parentContext: Context): void {
    this.open++
  }

  onEnd(_span: ReadableSpan): void {
    this.open--
    if (this.open === 0) for (const resolve of this.waiters.splice(0)) resolve()
  }

  /** Resolves once no span is open, or rejects after `timeoutMs` naming how many still are. */
  idle(timeoutMs: number): Promise<void> {
    if (this.open === 0) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done)
        reject(new Error(`${this.open} span(s) still open after ${timeoutMs} ms`))
      }, timeoutMs)
      const done = () => {
        clearTimeout(timer)
        resolve()
      }
      this.waiters.push(done)
    })
  }

  forceFlush(): Promise<void> {
    return Promise.resolve()
  }

  shutdown(): Promise<void> {
    return Promise.resolve()
  }
}
