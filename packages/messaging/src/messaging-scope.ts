import type { InstrumentationScope } from '@otel-http/core'

/** The instrumentation scope of every span this package starts. */
export const SCOPE: InstrumentationScope = { name: '@otel-http/messaging', version: '0.1.0' }
