/**
 * The loopback server process: `server.ts <bare|manual|traced> <propagator>`. `traced` wraps the
 * same listener in `traceRequestListener` with the benchmark's SDK registered; `manual` registers
 * the same SDK and does by hand the least any server instrumentation does (extract, a SERVER span
 * ended on close, the handler run in its context): the floor the SDK itself sets. Counts what arrives,
 * so run.ts can check each variant really sent (or did not send) trace headers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { traceRequestListener } from '@otel-http/server'
import { serverSpanByHand } from '../lib/by-hand'
import { serveCounted } from '../lib/counted-server'
import { type PropagatorChoice, setupSdk } from '../lib/sdk'

const [mode, propagator] = process.argv.slice(2) as ['bare' | 'manual' | 'traced', PropagatorChoice]

const sdk = mode === 'bare' ? undefined : setupSdk(propagator)
const body = Buffer.from('{"id":42,"name":"widget"}')

function listener(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
  res.end(body)
}

function byHand(inner: typeof listener): typeof listener {
  return (req, res) => serverSpanByHand(req, res, () => inner(req, res))
}

const listeners = { bare: listener, manual: byHand(listener), traced: traceRequestListener(listener) }
serveCounted(createServer({ keepAliveTimeout: 60_000 }, listeners[mode]), sdk?.exportedSpans)
