import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { traceLambdaHandler } from '@otel-http/lambda'
import type { APIGatewayProxyResult } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { parentIdOf, setupTracing, traceparentOf } from '../../../test/support/tracing'
import { freshInvocations, lambdaContext, loadEvent } from './lambda-fixtures'

const tracing = setupTracing()
const XRAY = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1'
const XRAY_TRACE_ID = '5759e988bd862e3fe1be46a994272793'

freshInvocations(tracing)

function onlySpan() {
  const spans = tracing.spans()
  expect(spans).toHaveLength(1)
  return spans[0]!
}

describe('HTTP events', () => {
  it('API Gateway REST (v1): SERVER span continues the traceparent, with HTTP and faas attributes', async () => {
    const event = loadEvent('api-gateway-v1')
    let seen: { traceId?: string; baggage?: string } = {}
    const handler = traceLambdaHandler(async (): Promise<APIGatewayProxyResult> => {
      seen = {
        traceId: trace.getActiveSpan()?.spanContext().traceId,
        baggage: propagation.getActiveBaggage()?.getEntry('tenant')?.value,
      }
      return { statusCode: 200, body: '{}' }
    })
    const result = await handler(event, lambdaContext())
    expect(result.statusCode).toBe(200)

    const span = onlySpan()
    const caller = traceparentOf(event.headers.traceparent)
    expect(span.kind).toBe(SpanKind.SERVER)
    expect(span.name).toBe('GET /users/{id}')
    expect(span.spanContext().traceId).toBe(caller.traceId)
    expect(parentIdOf(span)).toBe(caller.parentId)
    expect(seen).toEqual({ traceId: caller.traceId, baggage: 'acme' })
    expect(span.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/users/42',
      'url.query': 'fields=name%2Cemail&q=a%20b',
      'url.scheme': 'https',
      'server.address': 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      'client.address': '198.51.100.7',
      'user_agent.original': 'curl/8.5.0',
      'network.protocol.version': '1.1',
      'http.route': '/users/{id}',
      'http.response.status_code': 200,
      'faas.trigger': 'http',
      'faas.invocation.id': 'b8f0c6e2-5d4a-4f7e-9a3b-2c1d0e9f8a7b',
      'faas.name': 'orders-api',
      'faas.version': '12',
      'cloud.resource_id': 'arn:aws:lambda:us-east-1:123456789012:function:orders-api:12',
      'cloud.account.id': '123456789012',
    })
    expect(typeof span.attributes['faas.coldstart']).toBe('boolean')
  })

  // Each event kind: the SERVER span continues the event's traceparent, named and described from it.
  it.each<{
    title: string
    event: Parameters<typeof loadEvent>[0]
    result: object
    name: string
    attributes: Record<string, unknown>
    status?: SpanStatusCode
  }>([
    {
      title: 'HTTP API (v2): route from routeKey, raw query, status from the result',
      event: 'api-gateway-v2',
      result: { statusCode: 201, body: '{"ok":true}' },
      name: 'POST /orders/{orderId}/items',
      attributes: {
        'http.request.method': 'POST',
        'url.path': '/orders/7/items',
        'url.query': 'dryRun=true&tag=a&tag=b',
        'server.address': 'api.example.com',
        'client.address': '203.0.113.9',
        'http.route': '/orders/{orderId}/items',
        'http.response.status_code': 201,
        'faas.trigger': 'http',
      },
    },
    {
      title: 'ALB (single-value headers): client address from X-Forwarded-For, query kept as sent',
      event: 'alb',
      result: { statusCode: 503, statusDescription: '503 Service Unavailable' },
      name: 'GET',
      attributes: {
        'url.path': '/lambda',
        'url.query': 'query=1234ABCD&next=%2Fhome%3Fa%3D1',
        'url.scheme': 'http',
        'server.address': 'lambda-alb-123578498.us-east-1.elb.amazonaws.com',
        'client.address': '72.12.164.125',
        'http.response.status_code': 503,
      },
      status: SpanStatusCode.ERROR,
    },
    {
      title: 'Function URL: SERVER span continues the traceparent, no route',
      event: 'function-url',
      result: { statusCode: 200, body: 'ok' },
      name: 'POST',
      attributes: {
        'url.path': '/my/path',
        'url.query': 'parameter1=value1&parameter1=value2&parameter2=value',
        'server.address': 'abcdefg2hijklmn3opq4rstuv5wxyz.lambda-url.us-west-2.on.aws',
        'client.address': '123.123.123.123',
        'faas.trigger': 'http',
      },
    },
  ])('$title', async ({ event: kind, result, name, attributes, status = SpanStatusCode.UNSET }) => {
    const event = loadEvent(kind)
    await traceLambdaHandler(async () => result)(event, lambdaContext())
    const span = onlySpan()
    const caller = traceparentOf((event as { headers: Record<string, string> }).headers.traceparent)
    expect(span.name).toBe(name)
    expect(parentIdOf(span)).toBe(caller.parentId)
    expect(span.spanContext().traceId).toBe(caller.traceId)
    expect(span.attributes).toMatchObject(attributes)
    expect(span.attributes['http.route']).toBe(attributes['http.route'])
    expect(span.status.code).toBe(status)
  })

  it('HTTP API (v2): a result without statusCode is a 200, as API Gateway answers', async () => {
    const handler = traceLambdaHandler(async () => ({ ok: true }))
    await handler(loadEvent('api-gateway-v2'), lambdaContext())
    expect(onlySpan().attributes['http.response.status_code']).toBe(200)
  })

  it('ALB (multi-value headers): a repeated traceparent is invalid, so the trace restarts', async () => {
    const event = loadEvent('alb-multi-value')
    let baggage: string | undefined
    const handler = traceLambdaHandler(async () => {
      baggage = propagation.getActiveBaggage()?.getEntry('plan')?.value
      return { statusCode: 200 }
    })
    await handler(event, lambdaContext())
    const span = onlySpan()
    expect(parentIdOf(span)).toBeUndefined()
    const callers = (event.multiValueHeaders?.traceparent ?? []).map((h) => traceparentOf(h).traceId)
    expect(callers).not.toContain(span.spanContext().traceId)
    expect(span.attributes['url.query']).toBe('myKey=val1&myKey=val2')
    // Repeated list headers (baggage) are combined, as HTTP allows.
    expect(baggage).toBe('gold')
  })

  it('X-Ray only: the _X_AMZN_TRACE_ID context is the parent', async () => {
    const event = loadEvent('api-gateway-v2')
    delete event.headers.traceparent
    process.env._X_AMZN_TRACE_ID = XRAY
    await traceLambdaHandler(async () => ({ statusCode: 200 }))(event, lambdaContext())
    const span = onlySpan()
    expect(span.spanContext().traceId).toBe(XRAY_TRACE_ID)
    expect(parentIdOf(span)).toBe('53995c3f42cd8ad8')
    expect(span.links).toHaveLength(0)
  })

  it('X-Ray and traceparent: traceparent is the parent, X-Ray a link', async () => {
    const event = loadEvent('api-gateway-v1')
    process.env._X_AMZN_TRACE_ID = XRAY
    await traceLambdaHandler(async () => ({ statusCode: 200, body: '' }))(event, lambdaContext())
    const span = onlySpan()
    const caller = traceparentOf(event.headers.traceparent)
    expect(span.spanContext().traceId).toBe(caller.traceId)
    expect(parentIdOf(span)).toBe(caller.parentId)
    expect(span.links.map((l) => [l.context.traceId, l.context.spanId])).toEqual([
      [XRAY_TRACE_ID, '53995c3f42cd8ad8'],
    ])
  })

  it('untrusted endpoint: a new root trace with links to the caller and to X-Ray, inbound baggage dropped', async () => {
    const event = loadEvent('api-gateway-v1')
    process.env._X_AMZN_TRACE_ID = XRAY
    let baggage: unknown = 'unset'
    const handler = traceLambdaHandler(
      async () => {
        baggage = propagation.getActiveBaggage()?.getEntry('tenant')
        return { statusCode: 200, body: '' }
      },
      { trustIncoming: (e) => !('httpMethod' in e && e.path.startsWith('/users')) },
    )
    await handler(event, lambdaContext())
    const span = onlySpan()
    const caller = traceparentOf(event.headers.traceparent)
    expect(parentIdOf(span)).toBeUndefined()
    expect(span.spanContext().traceId).not.toBe(caller.traceId)
    expect(span.spanContext().traceId).not.toBe(XRAY_TRACE_ID)
    expect(span.links.map((l) => l.context.spanId).sort()).toEqual(
      [caller.parentId, '53995c3f42cd8ad8'].sort(),
    )
    expect(baggage).toBeUndefined()
  })

  it('untrusted endpoint without traceparent: X-Ray becomes a link, not the parent', async () => {
    const event = loadEvent('function-url')
    delete event.headers.traceparent
    process.env._X_AMZN_TRACE_ID = XRAY
    await traceLambdaHandler(async () => ({ statusCode: 200 }), { trustIncoming: false })(
      event,
      lambdaContext(),
    )
    const span = onlySpan()
    expect(parentIdOf(span)).toBeUndefined()
    expect(span.spanContext().traceId).not.toBe(XRAY_TRACE_ID)
    expect(span.links.map((l) => l.context.spanId)).toEqual(['53995c3f42cd8ad8'])
  })

  it('an exception from the handler is recorded on an ERROR span and rethrown', async () => {
    const failure = new TypeError('order 7 not found')
    const handler = traceLambdaHandler(async () => {
      throw failure
    })
    await expect(handler(loadEvent('api-gateway-v2'), lambdaContext())).rejects.toBe(failure)
    const span = onlySpan()
    expect(span.status.code).toBe(SpanStatusCode.ERROR)
    expect(span.attributes['error.type']).toBe('TypeError')
    expect(span.attributes['http.response.status_code']).toBeUndefined()
    expect(span.events.map((e) => e.name)).toContain('exception')
  })

  it('ignore: an ignored path runs the handler without a span', async () => {
    const event = loadEvent('api-gateway-v1')
    event.path = '/health'
    let active: unknown
    const handler = traceLambdaHandler(
      async () => {
        active = trace.getActiveSpan()
        return { statusCode: 200, body: '' }
      },
      { ignore: ['/health'] },
    )
    expect(await handler(event, lambdaContext())).toEqual({ statusCode: 200, body: '' })
    expect(tracing.spans()).toHaveLength(0)
    expect(active).toBeUndefined()
  })

  it('hooks receive the event and the result', async () => {
    const seen: unknown[] = []
    const event = loadEvent('api-gateway-v2')
    const result = { statusCode: 202 }
    const handler = traceLambdaHandler(async () => result, {
      requestHook: ({ request }) => seen.push(request),
      responseHook: ({ response, status }) => seen.push(response, status),
    })
    await handler(event, lambdaContext())
    expect(seen).toEqual([event, result, 202])
  })

  it('does not leak the invocation context to the caller', async () => {
    await traceLambdaHandler(async () => ({ statusCode: 200 }))(loadEvent('api-gateway-v2'), lambdaContext())
    expect(trace.getSpan(context.active())).toBeUndefined()
  })
})
