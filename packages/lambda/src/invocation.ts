import type { RequestHandle } from '@otel-http/core'

/**
 * One traced invocation, whatever its trigger: core's request handle, or several ended as one
 * (a queue batch). `end({ response })` gets the handler's result, `end({ error })` its failure;
 * it never throws and takes effect once.
 */
export type Invocation = Pick<RequestHandle, 'context' | 'end'>

export { SCOPE } from './scope'
