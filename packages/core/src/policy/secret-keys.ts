// Baggage is sent to every downstream service and often logged: keys shaped like credentials
// are never sent, whatever the case or separator ("X-Api-Key", "api_key", "sessionId").
const SECRET_WORDS = /authorization|password|passwd|secret|token|apikey|cookie|session|credential|privatekey/

/**
 * A key as it is compared: NFKC folds compatibility look-alikes (fullwidth "ｔｏｋｅｎ", ligatures,
 * the Kelvin sign) into their ASCII letters; lower, upper, then lower case folds case fully
 * ("ß" and "ẞ" become "ss"); separators, marks and invisible characters are removed.
 */
function folded(key: string): string {
  return key
    .normalize('NFKC')
    .toLowerCase()
    .toUpperCase()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
}

/** True when a baggage key looks like it carries a credential. */
export function isSecretLookingKey(key: string): boolean {
  return SECRET_WORDS.test(folded(key))
}
