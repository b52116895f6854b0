import { traceLambdaHandler } from '@otel-http/lambda'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { setupTracing } from '../../../test/support/tracing'
import { lambdaContext, loadEvent } from './lambda-fixtures'

// Its own file: cold-start state belongs to the module, and vitest gives each file a fresh one.
const tracing = setupTracing()
beforeEach(() => tracing.reset())
afterAll(() => {
  delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE
})

const coldStart = () => tracing.spans().map((s) => s.attributes['faas.coldstart'])

describe('faas.coldstart', () => {
  it('is true on the first invocation of the environment only, across wrapped handlers', async () => {
    const first = traceLambdaHandler(async () => ({ statusCode: 200 }))
    const second = traceLambdaHandler(async () => ({ statusCode: 200 }))
    await first(loadEvent('api-gateway-v2'), lambdaContext('1'))
    await first(loadEvent('api-gateway-v2'), lambdaContext('2'))
    await second(loadEvent('sqs'), lambdaContext('3'))
    const invocations = tracing.spans().filter((s) => s.attributes['faas.invocation.id'] !== undefined)
    expect(
      invocations.map((s) => [s.attributes['faas.invocation.id'], s.attributes['faas.coldstart']]),
    ).toEqual([
      ['1', true],
      ['2', false],
      ['3', false],
    ])
  })

  it('is false with provisioned concurrency, whose environments are initialised ahead of requests', async () => {
    vi.resetModules()
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'provisioned-concurrency'
    const fresh = await import('@otel-http/lambda')
    await fresh.traceLambdaHandler(async () => ({ statusCode: 200 }))(
      loadEvent('api-gateway-v2'),
      lambdaContext(),
    )
    expect(coldStart()).toEqual([false])
  })
})
