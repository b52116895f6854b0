// `@otel-http/server/fastify`: its types import only `fastify`.
export { type FastifyTracingOptions, fastifyTracing } from './fastify-tracing'
