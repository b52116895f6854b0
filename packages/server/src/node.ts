// `@otel-http/server/node`: node:http / https only; its types need only `@types/node`.
export { type TraceRequestListenerOptions, traceRequestListener } from './request-listener'
