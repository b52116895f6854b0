import type { IncomingMessage, ServerResponse } from 'node:http'
import { tracedFetch } from '@otel-http/fetch'
import { traceRequestListener } from '@otel-http/server'

/** One element of the harness's request body. */
export interface Callback {
  url: string
  arguments: unknown
}

/** What the service answers for each callback, in order. */
export type CallbackResult = { url: string; status: number } | { url: string; error: string }

const fetch = tracedFetch()

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return JSON.parse(Buffer.concat(chunks).toString('utf8'))
}

function isCallbackList(body: unknown): body is Callback[] {
  return Array.isArray(body) && body.every((item) => typeof item?.url === 'string')
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

/** POSTs each element's `arguments` to its `url`, in order, as children of the active SERVER span. */
export async function runCallbacks(callbacks: readonly Callback[]): Promise<CallbackResult[]> {
  const results: CallbackResult[] = []
  for (const callback of callbacks) {
    try {
      const response = await fetch(callback.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(callback.arguments ?? []),
      })
      await response.arrayBuffer()
      results.push({ url: callback.url, status: response.status })
    } catch (error) {
      // One unreachable callback must not stop the ones after it.
      results.push({ url: callback.url, error: error instanceof Error ? error.message : String(error) })
    }
  }
  return results
}

/**
 * The W3C Trace Context test-service protocol: `POST /test` with a JSON array of
 * `{ "url", "arguments" }`; each `arguments` is POSTed as JSON to its `url`, in order, through
 * `tracedFetch`, under the SERVER span `traceRequestListener` starts; the answer is 200 with the
 * result of each callback.
 */
export const testServiceListener = traceRequestListener(async function w3cTestService(
  req: IncomingMessage,
  res: ServerResponse,
) {
  if (req.url !== '/test') return send(res, 404, { error: 'not found: POST /test' })
  if (req.method !== 'POST') return send(res, 405, { error: 'method not allowed: POST /test' })
  let body: unknown
  try {
    body = await readJson(req)
  } catch {
    return send(res, 400, { error: 'the body is not JSON' })
  }
  if (!isCallbackList(body)) return send(res, 400, { error: 'expected an array of { "url", "arguments" }' })
  send(res, 200, await runCallbacks(body))
})
