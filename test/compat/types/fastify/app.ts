// A Fastify-only app: express, koa and hono are not installed, and skipLibCheck is off.
import { type FastifyTracingOptions, fastifyTracing } from '@otel-http/server/fastify'
import Fastify from 'fastify'

const options: FastifyTracingOptions = {
  trustIncoming: (request) => request.url !== '/public',
  requestHook: ({ span, request }) => {
    span.setAttribute('app.route', request.routeOptions.url ?? '')
  },
}
const app = Fastify()
await app.register(fastifyTracing, options)
app.get('/users/:id', async (request) => ({ params: request.params }))
export default app
