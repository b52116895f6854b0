/**
 * A Fastify or Hono request without a socket, for the counted process (instruction-count.ts):
 * Fastify's own `inject` (light-my-request: a request and response object, no socket) and Hono's
 * `app.fetch` with a `Request`, the body read to its end. Each carries the headers of
 * lib/no-io-server.ts; the variants differ only in what the app registers (lib/framework-apps.ts),
 * so what `inject` or the `Request` cost is the same in bare, ours and the peer.
 */
import { type FrameworkMode, fastifyApp, honoApp } from './framework-apps'
import { HEADERS } from './no-io-server'

export const COUNTED_FRAMEWORKS = ['fastify', 'hono'] as const
export type CountedFramework = (typeof COUNTED_FRAMEWORKS)[number]

const URL = 'http://127.0.0.1:8080/items/42'
const BODY = '{"id":"42","name":"widget"}'

function checked(status: number, body: string): void {
  if (status !== 200 || body !== BODY) throw new Error(`answered ${status} ${body}`)
}

/**
 * One request to `framework`'s app in `mode`, answered and read before the returned promise
 * settles; throws if the answer is not the route's.
 *
 * @example
 * const request = await frameworkRequest('fastify', 'ours')
 * await request()
 */
export async function frameworkRequest(
  framework: CountedFramework,
  mode: FrameworkMode,
): Promise<() => Promise<void>> {
  if (framework === 'fastify') {
    const app = await fastifyApp(mode)
    return async () => {
      const response = await app.inject({ method: 'GET', url: '/items/42', headers: HEADERS })
      checked(response.statusCode, response.body)
    }
  }
  const app = honoApp(mode)
  return async () => {
    const response = await app.fetch(new Request(URL, { headers: HEADERS }))
    checked(response.status, await response.text())
  }
}
