import { httpEventGetter, snsRecordGetter, sqsRecordGetter } from '@otel-http/lambda'
import { describe, expect, it } from 'vitest'
import { classifyEvent } from '../src/lambda-events'
import { xrayContext } from '../src/xray-context'
import { lambdaContext, loadEvent } from './lambda-fixtures'

describe('classifyEvent', () => {
  it.each([
    ['api-gateway-v1', 'api-gateway-v1'],
    ['api-gateway-v2', 'api-gateway-v2'],
    ['alb', 'alb'],
    ['alb-multi-value', 'alb'],
    ['function-url', 'function-url'],
    ['sqs', 'sqs'],
    ['sns', 'sns'],
  ] as const)('%s → %s', (fixture, kind) => {
    expect(classifyEvent(loadEvent(fixture)).kind).toBe(kind)
  })

  it.each([
    [undefined],
    [null],
    ['text'],
    [{ Records: [] }],
    [{ source: 'aws.events', 'detail-type': 'x' }],
    [lambdaContext()],
  ])('%j → other', (event) => {
    expect(classifyEvent(event).kind).toBe('other')
  })
})

describe('httpEventGetter', () => {
  it('reads single-value headers in any case (REST API keeps the client’s case)', () => {
    const event = loadEvent('api-gateway-v1')
    expect(httpEventGetter.get(event, 'TraceParent')).toBe(
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    )
    expect(httpEventGetter.get(event, 'user-agent')).toBe('curl/8.5.0')
    expect(httpEventGetter.keys(event)).toContain('traceparent')
    expect(httpEventGetter.get(event, 'absent')).toBeUndefined()
  })

  it('prefers multiValueHeaders: a repeated traceparent is reported as absent, list headers are joined', () => {
    const event = loadEvent('alb-multi-value')
    expect(httpEventGetter.get(event, 'traceparent')).toBeUndefined()
    expect(httpEventGetter.get(event, 'baggage')).toBe('tenant=acme,plan=gold')
  })

  it('payload 2.0: headers joined by API Gateway, and Cookie rebuilt from event.cookies', () => {
    const event = loadEvent('api-gateway-v2')
    event.headers.traceparent = `${event.headers.traceparent},00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01`
    expect(httpEventGetter.get(event, 'traceparent')).toBeUndefined()
    expect(httpEventGetter.get(event, 'cookie')).toBe('session=s3cr3t; theme=dark')
    expect(httpEventGetter.keys(event)).toContain('cookie')
    expect(httpEventGetter.keys(loadEvent('alb'))).not.toContain('cookie')
  })
})

describe('message attribute getters', () => {
  it('SQS: reads lower-case { stringValue, dataType } attributes, skips binary ones', () => {
    const [record] = loadEvent('sqs').Records
    expect(sqsRecordGetter.get(record!, 'traceparent')).toBe(
      '00-7e4fad3c1a5f6b8cad9e8f7a6b5c4d3e-3c4d5e6f7a8b9cad-01',
    )
    expect(sqsRecordGetter.get(record!, 'baggage')).toBe('tenant=acme')
    expect(sqsRecordGetter.get(record!, 'checksum')).toBeUndefined()
    expect(sqsRecordGetter.keys(record!).sort()).toEqual(['baggage', 'checksum', 'traceparent'])
  })

  it('SQS: an attribute written as Traceparent by another producer is still found', () => {
    const [record] = loadEvent('sqs').Records
    record!.messageAttributes = { Traceparent: { dataType: 'String', stringValue: 'x' } }
    expect(sqsRecordGetter.get(record!, 'traceparent')).toBe('x')
  })

  it('SNS: reads { Type, Value } attributes, skips binary ones', () => {
    const [record] = loadEvent('sns').Records
    expect(snsRecordGetter.get(record!, 'traceparent')).toBe(
      '00-9a6bcf5e3c7b8daecfba0b9c8d7e6f5a-5e6f7a8b9cadbecf-01',
    )
    expect(snsRecordGetter.get(record!, 'TestBinary')).toBeUndefined()
    expect(snsRecordGetter.keys(record!)).toContain('Test')
  })
})

describe('xrayContext', () => {
  it('parses an X-Ray trace header', () => {
    expect(
      xrayContext('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1'),
    ).toMatchObject({
      traceId: '5759e988bd862e3fe1be46a994272793',
      spanId: '53995c3f42cd8ad8',
      traceFlags: 1,
      isRemote: true,
    })
  })

  it.each([[undefined], [''], ['Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1'], ['garbage']])(
    '%j → undefined',
    (header) => {
      expect(xrayContext(header)).toBeUndefined()
    },
  )
})
