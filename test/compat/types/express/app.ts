// An Express-only app: koa, fastify and hono are not installed, and skipLibCheck is off.
import { type ExpressTracingOptions, expressErrorTracing, expressTracing } from '@otel-http/server/express'
import express from 'express'

const options: ExpressTracingOptions = {
  trustIncoming: (req) => req.path !== '/public',
  requestHook: ({ span, request }) => {
    span.setAttribute('app.user_agent', request.get('user-agent') ?? '')
  },
}
const app = express()
app.use(expressTracing(options))
app.get('/users/:id', (req, res) => {
  res.json({ id: req.params.id })
})
app.use(expressErrorTracing())
export default app
