import {
  ROOT_CONTEXT,
  type SpanContext,
  type TextMapGetter,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api'
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray'
import { describe, expect, it } from 'vitest'
import { parseXrayHeader } from '../src/xray-header'

const TRACE_ID = '5759e988bd862e3fe1be46a994272793'
const SPAN_ID = '53995c3f42cd8ad8'
const HEADER = `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${SPAN_ID};Sampled=1`

// The reference implementation we replaced: a devDependency only, to cross-check our parser.
const aws = new AWSXRayPropagator()
const getter: TextMapGetter<string> = { keys: () => ['x-amzn-trace-id'], get: (header) => header }
const setter: TextMapSetter<{ value?: string }> = {
  set(carrier, _key, value) {
    carrier.value = value
  },
}
const awsParse = (header: string) => trace.getSpanContext(aws.extract(ROOT_CONTEXT, header, getter))

const ACCEPTED = [
  HEADER,
  `Sampled=0;Parent=${SPAN_ID};Root=1-5759e988-bd862e3fe1be46a994272793`,
  `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${SPAN_ID};Sampled=1;Lineage=a87bd80c:1|68fd508a:5`,
  `Self=1-5759e988-aaaaaaaaaaaaaaaaaaaaaaaa;Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${SPAN_ID};Sampled=1`,
  ` Root=1-5759e988-bd862e3fe1be46a994272793 ; Parent=${SPAN_ID} ; Sampled=1 `,
  `Root=1-00000000-000000000000000000000000;Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${SPAN_ID};Sampled=1`,
]

const REJECTED = [
  '',
  'garbage',
  'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
  `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${SPAN_ID}`,
  `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${SPAN_ID};Sampled=?`,
  `Parent=${SPAN_ID};Sampled=1`,
  `Root=2-5759e988-bd862e3fe1be46a994272793;Parent=${SPAN_ID};Sampled=1`,
  `Root=1-5759e988-bd862e3fe1be46a99427279;Parent=${SPAN_ID};Sampled=1`,
  `Root=1-5759e98-8bd862e3fe1be46a994272793;Parent=${SPAN_ID};Sampled=1`,
  `Root=1-5759e988-bd862e3fe1be46a99427279g;Parent=${SPAN_ID};Sampled=1`,
  `Root=1-00000000-000000000000000000000000;Parent=${SPAN_ID};Sampled=1`,
  'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=0000000000000000;Sampled=1',
  'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad;Sampled=1',
  `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${SPAN_ID};Sampled=10`,
]

describe('parseXrayHeader', () => {
  it('reads Root, Parent and Sampled as a remote span context', () => {
    expect(parseXrayHeader(HEADER)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
      isRemote: true,
    })
    expect(parseXrayHeader(HEADER.replace('Sampled=1', 'Sampled=0'))?.traceFlags).toBe(0)
  })

  it('lower-cases upper-case hex, as span ids are compared as lower-case strings', () => {
    expect(
      parseXrayHeader(
        HEADER.toUpperCase()
          .replace('ROOT', 'Root')
          .replace('PARENT', 'Parent')
          .replace('SAMPLED', 'Sampled'),
      ),
    ).toEqual({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: true })
  })

  it.each(ACCEPTED)('accepts %j, as the AWS propagator does', (header) => {
    const ours = parseXrayHeader(header)
    expect(ours).toBeDefined()
    expect(ours).toEqual(awsParse(header))
  })

  it.each(REJECTED)('rejects %j, as the AWS propagator does', (header) => {
    expect(parseXrayHeader(header)).toBeUndefined()
    expect(awsParse(header)).toBeUndefined()
  })
})

describe('a header the AWS propagator wrote', () => {
  it.each([1, 0])('reads back as the span context it came from (Sampled flag %i)', (traceFlags) => {
    const spanContext: SpanContext = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags, isRemote: false }
    const carrier: { value?: string } = {}
    aws.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), carrier, setter)
    expect(parseXrayHeader(carrier.value!)).toEqual({ ...spanContext, isRemote: true })
  })
})
