// Baggage is sent to every downstream service and often logged: keys shaped like credentials
// are never sent, whatever the case or separator ("X-Api-Key", "api_key", "sessionId").
const SECRET_WORDS = /authorization|password|passwd|secret|token|apikey|cookie|session|credential|privatekey/

/** True when a baggage key looks like it carries a credential. */
export function isSecretLookingKey(key: string): boolean {
  return SECRET_WORDS.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''))
}
