import type { InstrumentationScope } from '@otel-http/core'
// tsup inlines these two fields into the build and vitest reads them from the file, so spans
// carry the version being published, from dist and from source alike.
import { name, version } from '../package.json'

/** The instrumentation scope (tracer name and version) of every span this package starts. */
export const SCOPE: InstrumentationScope = { name, version }
