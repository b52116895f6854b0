// `@otel-http/server/node`: node:http / https only; its types need only `@types/node`.
export { type RequestListenerOptions, traceRequestListener } from './request-listener'
