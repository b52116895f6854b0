// `@otel-http/server/express`: its types import only `express`, so an Express app type-checks
// without Koa, Fastify or Hono installed.
export { type ExpressTracingOptions, expressErrorTracing, expressTracing } from './express-tracing'
