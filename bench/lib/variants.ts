import type { Send } from './load'

/** The clients the benchmark drives. */
export const CLIENTS = ['fetch', 'undici', 'axios'] as const
export type ClientName = (typeof CLIENTS)[number]

/** How the report names each client. */
export const CLIENT_LABELS: Record<ClientName, string> = {
  fetch: 'fetch (Node global)',
  undici: 'undici.request',
  axios: 'axios',
}

/** The auto-instrumentation each client's `auto` variant registers (lib/auto-instrumentation.ts). */
export const AUTO_INSTRUMENTATION: Record<ClientName, string> = {
  fetch: 'instrumentation-undici',
  undici: 'instrumentation-undici',
  axios: 'instrumentation-http',
}

/**
 * The ways each client sends a request. `hand-inject` and `hand-span` are the same-run
 * references written by hand (lib/by-hand.ts); `auto` is the bare client with OpenTelemetry's
 * auto-instrumentation registered. Each variant runs in a process of its own: the garbage one
 * variant makes (spans, closures) is not collected on another's clock, and one variant's code
 * paths do not make the shared ones (undici's, the SDK's) polymorphic for the others.
 */
export const VARIANTS = [
  'bare',
  'headers',
  'hand-inject',
  'spans-off',
  'hand-span',
  'spans-on',
  'auto',
  'hand-span-in-context',
  'hand-inject-composed',
] as const
export type VariantName = (typeof VARIANTS)[number]

/**
 * The experiments, each run for one client and pricing one difference (no target):
 * `hand-span-in-context`, the by-hand span with the transport run in the span's context, as
 * tracedFetch does; `hand-inject-composed`, the by-hand inject made by an interceptor of
 * `Agent#compose`, where tracingInterceptor runs.
 */
export const EXPERIMENTS: Partial<Record<VariantName, ClientName>> = {
  'hand-span-in-context': 'fetch',
  'hand-inject-composed': 'undici',
}

/** What `pnpm bench` measures unless `--variants` says otherwise: every variant but the experiments. */
export const DEFAULT_VARIANTS = VARIANTS.filter((variant) => EXPERIMENTS[variant] === undefined)

/** Variants that must export one span per request. */
export const SPAN_VARIANTS: readonly VariantName[] = ['hand-span', 'spans-on', 'auto', 'hand-span-in-context']

/** A client module: its variants for one URL, given the constant trace headers. */
export type VariantFactory = (
  url: string,
  constantHeaders: Record<string, string>,
) => Partial<Record<VariantName, Send>>

/** The frameworks the server benchmark serves, each bare, with our adapter and with its peer. */
export const FRAMEWORKS = ['express', 'koa', 'fastify', 'hono'] as const
export type Framework = (typeof FRAMEWORKS)[number]

/** Each framework's explicit peer: the instrumentation ours is judged against. */
export const FRAMEWORK_PEERS: Record<Framework, string> = {
  express: 'SDK floor by hand',
  koa: 'SDK floor by hand',
  fastify: '@fastify/otel (hook and handler spans off)',
  hono: '@hono/otel',
}
