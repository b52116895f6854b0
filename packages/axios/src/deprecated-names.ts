// Old names kept for one release; options types are now named after their factory.
import type { InstrumentAxiosOptions } from './instrument-axios'

/** @deprecated Renamed `InstrumentAxiosOptions` (options types are named after their factory). */
export type AxiosOptions = InstrumentAxiosOptions
