import { SpanStatusCode } from '@opentelemetry/api'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { describe, expect, it } from 'vitest'
import { recordError } from '../src/instrumentation/record-error'

const exporter = new InMemorySpanExporter()
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('t')

function recorded(error: unknown) {
  exporter.reset()
  const span = tracer.startSpan('s')
  recordError(span, error)
  span.end()
  const [finished] = exporter.getFinishedSpans()
  return { status: finished!.status, event: finished!.events.find((e) => e.name === 'exception') }
}

describe('recordError', () => {
  it.each([
    [
      "Node's fetch",
      'Request cannot be constructed from a URL that includes credentials: http://alice:hunter2@127.0.0.1:9/x',
      'Request cannot be constructed from a URL that includes credentials: http://REDACTED:REDACTED@127.0.0.1:9/x',
    ],
    [
      'a user name only',
      'GET http://alice@host.test/ failed',
      'GET http://REDACTED:REDACTED@host.test/ failed',
    ],
    [
      'a presigned URL',
      'fetch https://b.test/o?X-Amz-Date=1&Signature=s3cr3t failed',
      'fetch https://b.test/o?X-Amz-Date=1&Signature=REDACTED failed',
    ],
    [
      'two URLs, one unparsable',
      'from "https://u:p@a.test/x" to http://u:p@[bad/y',
      'from "https://REDACTED:REDACTED@a.test/x" to http://REDACTED:REDACTED@[bad/y',
    ],
    [
      'another scheme',
      'connect postgres://app:pw@db:5432/x',
      'connect postgres://REDACTED:REDACTED@db:5432/x',
    ],
  ])('redacts credentials in the status and the exception event (%s)', (_name, message, expected) => {
    const error = new TypeError(message)
    const { status, event } = recorded(error)
    expect(status).toEqual({ code: SpanStatusCode.ERROR, message: expected })
    expect(event?.attributes?.['exception.message']).toBe(expected)
    expect(event?.attributes?.['exception.type']).toBe('TypeError')
    const stack = String(event?.attributes?.['exception.stacktrace'])
    expect(stack).toContain(expected)
    expect(stack).not.toMatch(/hunter2|:pw@|s3cr3t|alice@|u:p@/)
    // What the caller catches is left as it was.
    expect(error.message).toBe(message)
  })

  it('keeps an error code as the exception type', () => {
    const error = Object.assign(new Error('GET http://a:b@h.test/ failed'), { code: 'ECONNREFUSED' })
    expect(recorded(error).event?.attributes?.['exception.type']).toBe('ECONNREFUSED')
  })

  it('records an error with nothing to redact as it is', () => {
    const { status, event } = recorded(new Error('GET https://h.test/a?view=full failed'))
    expect(status.message).toBe('GET https://h.test/a?view=full failed')
    expect(event?.attributes?.['exception.message']).toBe('GET https://h.test/a?view=full failed')
  })

  it('redacts a thrown string', () => {
    expect(recorded('bad http://a:b@h.test/').status.message).toBe('bad http://REDACTED:REDACTED@h.test/')
  })
})
