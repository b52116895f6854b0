// A Koa-only app: express, fastify and hono are not installed, and skipLibCheck is off.
import { type KoaTracingOptions, koaTracing } from '@otel-http/server/koa'
import Koa from 'koa'

const options: KoaTracingOptions = {
  trustIncoming: (ctx) => ctx.path !== '/public',
  requestHook: ({ span, request }) => {
    span.setAttribute('app.user_agent', request.get('user-agent'))
  },
}
const app = new Koa()
app.use(koaTracing(options))
app.use((ctx) => {
  ctx.body = 'ok'
})
export default app
