export type { AxiosOptions } from './deprecated-names'
export { type AxiosLike, type InstrumentAxiosOptions, instrumentAxios } from './instrument-axios'
