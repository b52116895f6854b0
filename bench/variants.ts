import type { Send } from './load'

/** The clients the benchmark drives. */
export const CLIENTS = ['fetch', 'undici', 'axios'] as const
export type ClientName = (typeof CLIENTS)[number]

/**
 * The ways each client sends a request. `auto` is the bare client with OpenTelemetry's
 * auto-instrumentation registered, so it runs in a process of its own.
 */
export const VARIANTS = ['bare', 'headers', 'spans-off', 'spans-on', 'auto'] as const
export type VariantName = (typeof VARIANTS)[number]

/** Processes a client runs in: ours holds every variant but `auto`, which patches modules globally. */
export type ProcessGroup = 'ours' | 'auto'
export const groupOf = (variant: VariantName): ProcessGroup => (variant === 'auto' ? 'auto' : 'ours')

/** A client module: its variants for one URL, given the constant trace headers. */
export type VariantFactory = (
  url: string,
  constantHeaders: Record<string, string>,
) => Partial<Record<VariantName, Send>>
