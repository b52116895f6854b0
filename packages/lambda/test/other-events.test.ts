import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { traceLambdaHandler } from '@otel-http/lambda'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parentIdOf, setupTracing } from '../../../test/support/tracing'
import { lambdaContext } from './lambda-fixtures'

const tracing = setupTracing()
const ENV_XRAY = 'Root=1-65f1c2a3-0123456789abcdef01234567;Parent=0a1b2c3d4e5f6a7b;Sampled=1'

beforeEach(() => {
  tracing.reset()
  delete process.env._X_AMZN_TRACE_ID
})
afterEach(() => {
  delete process.env._X_AMZN_TRACE_ID
})

describe('other events (direct invokes, EventBridge, S3…)', () => {
  it('a direct invoke gets a root SERVER span named after the function, active in the handler', async () => {
    let active: string | undefined
    const result = await traceLambdaHandler(async (e: { orderId: number }) => {
      active = trace.getActiveSpan()?.spanContext().spanId
      return e.orderId * 2
    })({ orderId: 21 }, lambdaContext())
    expect(result).toBe(42)
    const [span] = tracing.spans()
    expect(tracing.spans()).toHaveLength(1)
    expect(span!.name).toBe('orders-api')
    expect(span!.kind).toBe(SpanKind.SERVER)
    expect(parentIdOf(span!)).toBeUndefined()
    expect(active).toBe(span!.spanContext().spanId)
    expect(span!.attributes).toMatchObject({
      'faas.trigger': 'other',
      'faas.invocation.id': 'b8f0c6e2-5d4a-4f7e-9a3b-2c1d0e9f8a7b',
      'faas.name': 'orders-api',
    })
  })

  it('continues the X-Ray context of the invocation, and ignores whatever the caller had active', async () => {
    process.env._X_AMZN_TRACE_ID = ENV_XRAY
    const ambient = tracing.tracer.startSpan('ambient')
    const bag = propagation.createBaggage({ tenant: { value: 'acme' } })
    let baggage: string | undefined
    await context.with(propagation.setBaggage(trace.setSpan(context.active(), ambient), bag), () =>
      traceLambdaHandler(async () => {
        baggage = propagation.getActiveBaggage()?.getEntry('tenant')?.value
      })({ source: 'aws.events' }, lambdaContext()),
    )
    ambient.end()
    const span = tracing.spans().find((s) => s.name === 'orders-api')!
    expect(span.spanContext().traceId).toBe('65f1c2a30123456789abcdef01234567')
    expect(parentIdOf(span)).toBe('0a1b2c3d4e5f6a7b')
    expect(baggage).toBeUndefined()
  })

  it('records a failure and rethrows it unchanged; a function without a name is "invoke"', async () => {
    const failure = new RangeError('bad order')
    const handler = traceLambdaHandler(async () => {
      throw failure
    })
    await expect(handler({}, { awsRequestId: 'r-1' })).rejects.toBe(failure)
    const [span] = tracing.spans()
    expect(span!.name).toBe('invoke')
    expect(span!.status.code).toBe(SpanStatusCode.ERROR)
    expect(span!.attributes['error.type']).toBe('RangeError')
    expect(span!.events.map((e) => e.name)).toEqual(['exception'])
  })
})
