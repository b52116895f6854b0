// RFC 9110 token: a header name, a baggage key, a baggage property key.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** Whether `text` is an HTTP token (`tchar`s only, at least one). */
export const isToken = (text: string): boolean => TOKEN.test(text)
