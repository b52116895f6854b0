import { metrics } from '@opentelemetry/api'
import { afterEach, describe, expect, it } from 'vitest'
import { createMetrics, measurements } from '../../../test/support/metrics'
import { compileMessagingMetrics } from '../src/instrumentation/messaging-metrics'

const scope = { name: 'test-messaging' }
const jobs = { system: 'aws_sqs', destination: 'jobs' }

afterEach(() => metrics.disable())

describe('compileMessagingMetrics', () => {
  it('records send and receive as messaging.client.operation.duration, process as messaging.process.duration', async () => {
    const sdk = createMetrics()
    sdk.register()
    const messaging = compileMessagingMetrics({}, scope)
    messaging.start({ ...jobs, type: 'send', operationName: 'SendMessage' })!.end({}, undefined)
    messaging
      .start({ ...jobs, type: 'receive', operationName: 'ReceiveMessage' })!
      .end({}, new TypeError('x'))
    messaging.start({ ...jobs, type: 'process', operationName: 'process' })!.end({}, undefined)

    const [client] = await sdk.collect('messaging.client.operation.duration')
    expect(client!.descriptor.unit).toBe('s')
    expect((await sdk.histogram('messaging.client.operation.duration')).map((p) => p.attributes)).toEqual([
      {
        'messaging.system': 'aws_sqs',
        'messaging.destination.name': 'jobs',
        'messaging.operation.name': 'SendMessage',
        'messaging.operation.type': 'send',
      },
      {
        'messaging.system': 'aws_sqs',
        'messaging.destination.name': 'jobs',
        'messaging.operation.name': 'ReceiveMessage',
        'messaging.operation.type': 'receive',
        'error.type': 'TypeError',
      },
    ])
    const [processed] = await sdk.histogram('messaging.process.duration')
    expect(processed!.boundaries).toEqual([
      0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
    ])
    expect(processed!.attributes).toEqual({
      'messaging.system': 'aws_sqs',
      'messaging.destination.name': 'jobs',
      'messaging.operation.name': 'process',
    })
  })

  it('records once per operation, follows the global provider and honours metrics: false', async () => {
    const messaging = compileMessagingMetrics({}, scope)
    expect(messaging.start({ ...jobs, type: 'send', operationName: 'send' })).toBeUndefined()
    const sdk = createMetrics()
    sdk.register()
    const send = messaging.start({ ...jobs, type: 'send', operationName: 'send' })!
    send.end({}, undefined)
    send.end({}, new Error('late'))
    expect(measurements(await sdk.histogram('messaging.client.operation.duration'))).toBe(1)
    expect(
      compileMessagingMetrics({ metrics: false }, scope).start({
        ...jobs,
        type: 'send',
        operationName: 'send',
      }),
    ).toBeUndefined()
  })
})
