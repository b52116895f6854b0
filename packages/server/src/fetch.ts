// `@otel-http/server/fetch`: fetch-style handlers (Bun, Deno, Workers, Next.js); no framework types.
export { type FetchHandlerOptions, traceFetchHandler } from './fetch-handler'
