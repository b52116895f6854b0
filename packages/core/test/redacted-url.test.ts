import { describe, expect, it } from 'vitest'
import { redactedUrl } from '../src/instrumentation/http-attributes'

describe('redactedUrl', () => {
  it.each([
    ['https://x.example/a?b=1&view=full', 'https://x.example/a?b=1&view=full'],
    ['https://x.example/a?mysig=1&keyword=2', 'https://x.example/a?mysig=1&keyword=2'],
    ['https://x.example/a?Signature=abc&b=1', 'https://x.example/a?Signature=REDACTED&b=1'],
    ['https://x.example/a?AWSAccessKeyId=AK&x=1', 'https://x.example/a?AWSAccessKeyId=REDACTED&x=1'],
    ['https://x.example/a?sig=s', 'https://x.example/a?sig=REDACTED'],
    ['https://x.example/a?X-Goog-Signature=s', 'https://x.example/a?X-Goog-Signature=REDACTED'],
    // Percent-encoded names are decoded before they are compared: %53 is "S".
    ['https://x.example/a?%53ignature=abc', 'https://x.example/a?Signature=REDACTED'],
    ['https://u:p@x.example/a', 'https://REDACTED:REDACTED@x.example/a'],
  ])('%s is recorded as %s', (input, expected) => {
    expect(redactedUrl(new URL(input))).toBe(expected)
  })

  it('returns the href itself when there is nothing to redact', () => {
    const url = new URL('https://x.example/items/42?view=full')
    expect(redactedUrl(url)).toBe(url.href)
  })
})
