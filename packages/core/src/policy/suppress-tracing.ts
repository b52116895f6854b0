import { type Context, createContextKey } from '@opentelemetry/api'

// The context key @opentelemetry/core's suppressTracing() sets (SDK 1, 2 and 3 alike). Keys are
// `Symbol.for(description)`, so reading it needs no runtime dependency on an SDK major.
const SUPPRESS_TRACING = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING')

/** True inside `suppressTracing(ctx)`: an exporter's own requests are neither traced nor injected. */
export function isTracingSuppressed(ctx: Context): boolean {
  return ctx.getValue(SUPPRESS_TRACING) === true
}
