import { recordGetter } from '@otel-http/core'
import { traceBatch, traceProcess, traceSend } from '@otel-http/messaging'
import { describe, expect, it } from 'vitest'
import { createMetrics, measurements, setupMetrics } from '../../../test/support/metrics'

const CLIENT = 'messaging.client.operation.duration'
const PROCESS = 'messaging.process.duration'
const jobs = { system: 'aws_sqs', destination: 'jobs' }
const message = { carrier: {} as Record<string, string>, getter: recordGetter }
const sdk = setupMetrics()
const { tracing } = sdk

describe('messaging metrics', () => {
  it('records a send as messaging.client.operation.duration, with error.type when it fails', async () => {
    await traceSend({ ...jobs, operationName: 'SendMessage' }, async () => ({ MessageId: 'm-1' }))
    await expect(
      traceSend({ ...jobs, operationName: 'SendMessage' }, async () => {
        throw new TypeError('broker down')
      }),
    ).rejects.toThrow('broker down')
    const points = await sdk.histogram(CLIENT)
    expect(points.map((p) => [p.scope, p.count, p.attributes])).toEqual([
      [
        '@otel-http/messaging',
        1,
        {
          'messaging.system': 'aws_sqs',
          'messaging.destination.name': 'jobs',
          'messaging.operation.name': 'SendMessage',
          'messaging.operation.type': 'send',
        },
      ],
      [
        '@otel-http/messaging',
        1,
        {
          'messaging.system': 'aws_sqs',
          'messaging.destination.name': 'jobs',
          'messaging.operation.name': 'SendMessage',
          'messaging.operation.type': 'send',
          'error.type': 'TypeError',
        },
      ],
    ])
  })

  it('records processing, of one message or a batch, as messaging.process.duration', async () => {
    await traceProcess(jobs, message, async () => 'done')
    await traceBatch(jobs, [message, message], async () => 'done')
    const [point, ...rest] = await sdk.histogram(PROCESS)
    expect(rest).toEqual([])
    expect(point).toMatchObject({
      count: 2,
      attributes: {
        'messaging.system': 'aws_sqs',
        'messaging.destination.name': 'jobs',
        'messaging.operation.name': 'process',
      },
    })
    expect(await sdk.histogram(CLIENT)).toEqual([])
  })

  it('records with spans: false, not with metrics: false, and into a meterProvider option', async () => {
    const own = createMetrics()
    await traceSend(jobs, async () => undefined, { spans: false })
    expect(tracing.spans()).toEqual([])
    await traceProcess(jobs, message, async () => undefined, { metrics: false })
    expect(tracing.spans()).toHaveLength(1)
    await traceProcess(jobs, message, async () => undefined, { meterProvider: own.provider })
    expect(measurements(await sdk.histogram(CLIENT))).toBe(1)
    expect(await sdk.histogram(PROCESS)).toEqual([])
    expect(measurements(await own.histogram(PROCESS))).toBe(1)
  })
})
