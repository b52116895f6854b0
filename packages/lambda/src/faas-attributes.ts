import type { Attributes } from '@opentelemetry/api'
import type { LambdaContextLike } from './lambda-events'

/**
 * The FaaS semantic-convention attributes of one invocation. `cloud.resource_id` is the function's
 * ARN qualified by the version that runs, not the invoked ARN: one environment serves every
 * alias that points at its version.
 */
export function faasAttributes(
  lambdaContext: LambdaContextLike | undefined,
  trigger: 'http' | 'pubsub' | 'other',
  coldStart: boolean,
): Attributes {
  const attributes: Attributes = { 'faas.trigger': trigger, 'faas.coldstart': coldStart }
  if (!lambdaContext) return attributes
  const { awsRequestId, functionName, functionVersion, invokedFunctionArn } = lambdaContext
  if (awsRequestId) attributes['faas.invocation.id'] = awsRequestId
  if (functionName) attributes['faas.name'] = functionName
  if (functionVersion) attributes['faas.version'] = functionVersion
  // arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>]
  const arn = invokedFunctionArn?.split(':')
  if (arn && arn.length >= 7 && arn[2] === 'lambda') {
    const base = arn.slice(0, 7).join(':')
    attributes['cloud.resource_id'] = functionVersion ? `${base}:${functionVersion}` : base
    if (arn[4]) attributes['cloud.account.id'] = arn[4]
  }
  return attributes
}
