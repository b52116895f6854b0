// `@otel-http/server/koa`: its types import only `koa`.
export { type KoaTracingOptions, koaTracing } from './koa-tracing'
