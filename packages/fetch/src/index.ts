export type { FetchOptions } from './deprecated-names'
export { type FetchLike, type FetchRequest, type TracedFetchOptions, tracedFetch } from './traced-fetch'
