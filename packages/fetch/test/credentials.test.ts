import { SpanStatusCode } from '@opentelemetry/api'
import { tracedFetch } from '@otel-http/fetch'
import * as undici from 'undici'
import { beforeEach, describe, expect, it } from 'vitest'
import { refusedOrigin } from '../../../test/support/echo-server'
import { onlyClientSpan, setupTracing } from '../../../test/support/tracing'

const tracing = setupTracing()
beforeEach(() => tracing.reset())

describe.each([
  { name: "Node's global fetch", impl: globalThis.fetch },
  { name: "undici's fetch", impl: undici.fetch as unknown as typeof fetch },
])('tracedFetch over $name, given a URL with credentials', ({ impl }) => {
  const fetch = tracedFetch(impl)

  it('rejects as the platform does and records no credential anywhere in the span', async () => {
    const origin = new URL(await refusedOrigin())
    const url = `http://alice:hunter2@${origin.host}/private?sig=s3cr3t`
    // The platform quotes the URL, password included, in its error.
    const unwrapped = await impl(url).catch((error: Error) => error)
    expect(String((unwrapped as Error).message)).toContain('hunter2')

    const error = await fetch(url).catch((e: Error) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toBe((unwrapped as Error).message)

    const span = onlyClientSpan(tracing.spans())
    const redacted = `http://REDACTED:REDACTED@${origin.host}/private?sig=REDACTED`
    expect(span.attributes['url.full']).toBe(redacted)
    expect(span.status.code).toBe(SpanStatusCode.ERROR)
    expect(span.status.message).toContain(redacted)
    const event = span.events.find((e) => e.name === 'exception')
    expect(event?.attributes?.['exception.message']).toContain(redacted)
    expect(
      JSON.stringify({ status: span.status, events: span.events, attributes: span.attributes }),
    ).not.toMatch(/hunter2|alice|s3cr3t/)
  })
})
