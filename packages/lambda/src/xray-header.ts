import { type SpanContext, TraceFlags } from '@opentelemetry/api'

// Root=1-<8 hex epoch seconds>-<24 hex random>: the two hex runs are the W3C trace id.
const ROOT = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/i
const PARENT = /^[0-9a-f]{16}$/i
const INVALID_TRACE_ID = '00000000000000000000000000000000'
const INVALID_SPAN_ID = '0000000000000000'

/**
 * The span context in an AWS X-Ray trace header (`X-Amzn-Trace-Id`, `_X_AMZN_TRACE_ID`, an SQS
 * `AWSTraceHeader`): `Root=1-…;Parent=…;Sampled=0|1` in any order, other fields (`Lineage`,
 * `Self`) ignored, ids lower-cased. Anything else — a missing field, `Sampled=?`, all-zero ids,
 * wrong lengths — is `undefined`, the same set of headers `@opentelemetry/propagator-aws-xray`
 * rejects, so a malformed header starts a new trace instead of failing the invocation.
 *
 * @example
 * parseXrayHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1')
 * // { traceId: '5759e988bd862e3fe1be46a994272793', spanId: '53995c3f42cd8ad8', traceFlags: 1, isRemote: true }
 */
export function parseXrayHeader(header: string): SpanContext | undefined {
  let traceId: string | undefined
  let spanId: string | undefined
  let traceFlags: TraceFlags | undefined
  for (const part of header.split(';')) {
    const equals = part.indexOf('=')
    if (equals < 0) continue
    const key = part.slice(0, equals).trim()
    const value = part.slice(equals + 1).trim()
    // A repeated field overrides the earlier one, as the AWS propagator reads it.
    if (key === 'Root') {
      const root = ROOT.exec(value)
      traceId = root ? `${root[1]}${root[2]}`.toLowerCase() : undefined
    } else if (key === 'Parent') {
      spanId = PARENT.test(value) ? value.toLowerCase() : undefined
    } else if (key === 'Sampled') {
      traceFlags = value === '1' ? TraceFlags.SAMPLED : value === '0' ? TraceFlags.NONE : undefined
    }
  }
  if (!traceId || traceId === INVALID_TRACE_ID || !spanId || spanId === INVALID_SPAN_ID) return undefined
  if (traceFlags === undefined) return undefined
  return { traceId, spanId, traceFlags, isRemote: true }
}
