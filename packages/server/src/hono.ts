// `@otel-http/server/hono`: its types import only `hono`.
export { type HonoTracingOptions, honoTracing } from './hono-tracing'
