// Old names kept for one release; options types are now named after their factory.
import type { TracedFetchOptions } from './traced-fetch'

/** @deprecated Renamed `TracedFetchOptions` (options types are named after their factory). */
export type FetchOptions = TracedFetchOptions
