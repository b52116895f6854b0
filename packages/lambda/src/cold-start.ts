// Module state on purpose: a Lambda execution environment loads the module once, so "first call
// in this module" is "first invocation of this environment", however many handlers are wrapped.
let invoked = false

/**
 * True for the first invocation of this execution environment only. With provisioned
 * concurrency the environment was initialised ahead of any request, so no invocation pays a
 * cold start.
 */
export function takeColdStart(): boolean {
  if (invoked) return false
  invoked = true
  return globalThis.process?.env?.AWS_LAMBDA_INITIALIZATION_TYPE !== 'provisioned-concurrency'
}
