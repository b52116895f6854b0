// A Hono-only app: express, koa and fastify are not installed, and skipLibCheck is off.

import { traceFetchHandler } from '@otel-http/server/fetch'
import { type HonoTracingOptions, honoTracing } from '@otel-http/server/hono'
import { Hono } from 'hono'

const options: HonoTracingOptions = {
  trustIncoming: (c) => c.req.path !== '/public',
  requestHook: ({ span, request }) => {
    span.setAttribute('app.user_agent', request.req.header('user-agent') ?? '')
  },
}
const app = new Hono()
app.use('*', honoTracing(options))
app.get('/users/:id', (c) => c.json({ id: c.req.param('id') }))
export default { fetch: traceFetchHandler((request: Request) => app.fetch(request)) }
