// Old names kept for one release; options types are now named after their factory.
import type { TracingInterceptorOptions } from './tracing-interceptor'

/** @deprecated Renamed `TracingInterceptorOptions` (options types are named after their factory). */
export type UndiciOptions = TracingInterceptorOptions
