// Old names kept for one release; options types are now named after their factory.
import type { TraceFetchHandlerOptions } from './fetch-handler'
import type { TraceRequestListenerOptions } from './request-listener'

/** @deprecated Renamed `TraceRequestListenerOptions` (options types are named after their factory). */
export type RequestListenerOptions = TraceRequestListenerOptions
/** @deprecated Renamed `TraceFetchHandlerOptions` (options types are named after their factory). */
export type FetchHandlerOptions = TraceFetchHandlerOptions
