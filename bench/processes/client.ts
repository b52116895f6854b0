/**
 * A client process: `client.ts <client> <variant> <propagator>`. Runs load segments of that one
 * variant on request from run.ts, against any port it is given.
 */
import { registerAutoInstrumentation } from '../lib/auto-instrumentation'
import { clientVariants } from '../lib/clients/client-variants'
import { serveRequests } from '../lib/ipc'
import { runLoad, type Send } from '../lib/load'
import { constantHeaders, type PropagatorChoice, requestContext, setupSdk } from '../lib/sdk'
import { CLIENTS, type ClientName, VARIANTS, type VariantName } from '../lib/variants'

const [client, only, propagator] = process.argv.slice(2) as [ClientName, VariantName, PropagatorChoice]
if (!CLIENTS.includes(client)) throw new Error(`unknown client ${client}`)
if (!VARIANTS.includes(only)) throw new Error(`unknown variant ${only}`)

const sdk = setupSdk(propagator)
if (only === 'auto') registerAutoInstrumentation(client)

const factory = await clientVariants(client)
const ctx = requestContext()
const headers = constantHeaders(ctx)
const byPort = new Map<number, Partial<Record<VariantName, Send>>>()

interface LoadRequest {
  phase: 'warmup' | 'measure'
  variant: VariantName
  port: number
  concurrency: number
  durationMs: number
}

function sender(variant: VariantName, port: number): Send {
  if (variant !== only) throw new Error(`${variant} does not run in the ${only} process`)
  let variants = byPort.get(port)
  if (!variants) {
    variants = factory(`http://127.0.0.1:${port}/items/42?view=full`, headers)
    byPort.set(port, variants)
  }
  const send = variants[variant]
  if (!send) throw new Error(`${client} has no ${variant} variant`)
  return send
}

// A warm-up (connections, JIT, the span queue) precedes each measurement; spans it made are
// flushed so the measurement counts only its own.
async function load({ phase, variant, port, concurrency, durationMs }: LoadRequest) {
  const send = sender(variant, port)
  if (phase === 'warmup') {
    const warm = await runLoad(send, concurrency, durationMs, ctx)
    await sdk.exportedSpans()
    return warm
  }
  const measured = await runLoad(send, concurrency, durationMs, ctx)
  const spans = await sdk.exportedSpans()
  return { ...measured, spansPerRequest: spans / Math.max(1, measured.requests) }
}

serveRequests((message) => load(message as unknown as LoadRequest), { ready: true })
