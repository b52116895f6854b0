// Every adapter from one entry, so its types import express, koa, fastify and hono together: an
// app that installs one framework imports from that framework's subpath instead
// (`@otel-http/server/express`, `/koa`, `/fastify`, `/hono`, `/node`, `/fetch`).
export type { FetchHandlerOptions, RequestListenerOptions } from './deprecated-names'
export * from './express'
export * from './fastify'
export * from './fetch'
export * from './hono'
export * from './koa'
export * from './node'
