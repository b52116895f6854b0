import { isToken } from '../carriers/http-token'

// W3C Baggage: `property = key OWS "=" OWS value / key OWS`, properties separated by
// `OWS ";" OWS`; a key is an RFC 7230 token and a value is `*baggage-octet`: printable ASCII
// without space, DQUOTE, comma, semicolon and backslash (anything else is percent-encoded).
const VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/
const OWS = /^[ \t]+|[ \t]+$/g

export interface BaggageProperties {
  /** The properties that follow the grammar, in order, as `key=value` or `key`, joined by `;`. */
  readonly text: string
  /** Whether a property that breaks the grammar was left out. */
  readonly dropped: boolean
}

/**
 * The properties (the metadata after a baggage member's first `;`) that follow the W3C Baggage
 * grammar. Each one is judged on its own: one that breaks the grammar is left out, the others
 * are kept. Whitespace around properties and around `=` is removed. Never throws.
 */
export function grammaticalProperties(metadata: string): BaggageProperties {
  let text = ''
  let dropped = false
  for (const part of metadata.split(';')) {
    const property = part.replace(OWS, '')
    // `k=v;` or `a;;b`: an empty property carries nothing, so nothing is lost by skipping it.
    if (property === '') continue
    const eq = property.indexOf('=')
    const key = eq === -1 ? property : property.slice(0, eq).replace(OWS, '')
    const value = eq === -1 ? undefined : property.slice(eq + 1).replace(OWS, '')
    if (!isToken(key) || (value !== undefined && !VALUE.test(value))) {
      dropped = true
      continue
    }
    const kept = value === undefined ? key : `${key}=${value}`
    text = text === '' ? kept : `${text};${kept}`
  }
  return { text, dropped }
}
