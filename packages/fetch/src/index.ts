export { type FetchLike, type FetchOptions, type FetchRequest, tracedFetch } from './traced-fetch'
