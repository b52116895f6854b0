// `@otel-http/server/fetch`: fetch-style handlers (Bun, Deno, Workers, Next.js); no framework types.
export { type TraceFetchHandlerOptions, traceFetchHandler } from './fetch-handler'
