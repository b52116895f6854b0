import { createRequire } from 'node:module'
import { registerInstrumentations } from '@opentelemetry/instrumentation'
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http'
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici'
import type { ClientName } from './variants'

/**
 * Registers OpenTelemetry's auto-instrumentation for `client` with the global SDK:
 * instrumentation-undici (diagnostics channels) for undici and Node's fetch,
 * instrumentation-http (patches `http`/`https`) for axios. Call before loading the client.
 */
export function registerAutoInstrumentation(client: ClientName): void {
  if (client === 'axios') {
    registerInstrumentations({ instrumentations: [new HttpInstrumentation()] })
    // The patch is applied when `http` is next required; ESM imports of it do not go through
    // require, so require it here: the module object axios (and follow-redirects) use is patched in place.
    const require = createRequire(import.meta.url)
    require('node:http')
    require('node:https')
  } else {
    registerInstrumentations({ instrumentations: [new UndiciInstrumentation()] })
  }
}
