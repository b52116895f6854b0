/** The instrumentation scope of every span this package starts. */
export const SCOPE = { name: '@otel-http/server' }
