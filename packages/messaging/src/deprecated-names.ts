import type { MessagingTracingOptions } from './messaging-tracing'

/** @deprecated use `MessagingTracingOptions`; this name goes in the next minor release. */
export type MessagingOptions = MessagingTracingOptions
