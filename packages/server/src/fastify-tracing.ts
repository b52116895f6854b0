import type { ServerResponse } from 'node:http'
import { context } from '@opentelemetry/api'
import { createServerInstrumentation, type ServerHandle, type ServerOptions } from '@otel-http/core'
import type { FastifyPluginCallback, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify'
import { endWhenClosed, startNodeRequest } from './node-request'
import { callInContext } from './run-in-context'
import { SCOPE } from './scope'

/** `ServerOptions` whose hooks see Fastify's `request` (and node's `ServerResponse`). */
export type FastifyTracingOptions = ServerOptions<FastifyRequest, ServerResponse>

// The request's handle lives in a slot Fastify declares on every request (decorateRequest), not
// in a WeakMap keyed by the request: no ephemeron per request for the GC to trace.
const TRACED = Symbol('@otel-http/server traced request')
type Decorated = FastifyRequest & { [TRACED]: ServerHandle<ServerResponse> | null }

function plugin(
  app: Parameters<FastifyPluginCallback<FastifyTracingOptions>>[0],
  options: FastifyTracingOptions,
  done: (error?: Error) => void,
): void {
  const instrumentation = createServerInstrumentation(options, SCOPE)
  if (!app.hasRequestDecorator(TRACED)) app.decorateRequest(TRACED, null)

  app.addHook('onRequest', function tracingOnRequest(request, reply, next) {
    const traced = startNodeRequest(instrumentation, request.raw, request)
    if (!traced) return next()
    ;(request as Decorated)[TRACED] = traced
    // Fastify routes before onRequest, so the template is known now (undefined for a 404).
    const route = request.routeOptions.url
    if (route) traced.setRoute(route)
    endWhenClosed(traced, reply.raw)
    context.with(traced.context, next)
  })

  app.addHook('onError', function tracingOnError(request, _reply, error, next) {
    ;(request as Decorated)[TRACED]?.recordError(error)
    next()
  })

  // Hooks resume from stream events (body parsing) where the context from onRequest is lost,
  // so each route handler is entered with its request's context explicitly.
  app.addHook('onRoute', (route) => {
    const handler = route.handler as (this: unknown, request: FastifyRequest, reply: FastifyReply) => unknown
    route.handler = function tracedHandler(this: unknown, request: FastifyRequest, reply: FastifyReply) {
      const traced = (request as Decorated)[TRACED]
      return traced
        ? callInContext(traced.context, handler, this, [request, reply])
        : handler.call(this, request, reply)
    } as RouteHandlerMethod
  })

  done()
}

/**
 * Fastify 5 plugin: extracts the caller's context, starts a SERVER span per request that is
 * active in the route handler, with `http.route` from the route's template, records errors
 * (`onError`) and ends when the response closes. It is not encapsulated (like fastify-plugin):
 * its hooks apply to the whole app. Register it before your routes.
 *
 * @example
 * import Fastify from 'fastify'
 * import { fastifyTracing } from '@otel-http/server'
 *
 * const app = Fastify()
 * await app.register(fastifyTracing, { trustIncoming: false })
 * app.get('/users/:id', async () => 'ok') // span "GET /users/:id"
 */
export const fastifyTracing: FastifyPluginCallback<FastifyTracingOptions> = Object.assign(plugin, {
  // fastify-plugin's contract, without depending on it: skip encapsulation, name the plugin.
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@otel-http/server',
})
