import type { Send } from './load'

/** The clients the benchmark drives. */
export const CLIENTS = ['fetch', 'undici', 'axios'] as const
export type ClientName = (typeof CLIENTS)[number]

/**
 * The ways each client sends a request. `auto` is the bare client with OpenTelemetry's
 * auto-instrumentation registered. Each variant runs in a process of its own: the garbage one
 * variant makes (spans, closures) is not collected on another's clock, and one variant's code
 * paths do not make the shared ones (undici's, the SDK's) polymorphic for the others.
 */
export const VARIANTS = ['bare', 'headers', 'spans-off', 'spans-on', 'auto'] as const
export type VariantName = (typeof VARIANTS)[number]

/** A client module: its variants for one URL, given the constant trace headers. */
export type VariantFactory = (
  url: string,
  constantHeaders: Record<string, string>,
) => Partial<Record<VariantName, Send>>
