export { type HttpEvent, httpEventGetter } from './http-event-carrier'
export type {
  HttpEventV1,
  HttpEventV2,
  LambdaContextLike,
  SnsRecord,
  SqsRecord,
  SqsRecordAttribute,
} from './lambda-events'
export { snsRecordGetter, sqsRecordGetter } from './message-attribute-carriers'
export { recordContext } from './record-context'
export { type AsyncLambdaHandler, traceLambdaHandler } from './trace-lambda-handler'
export type { LambdaOptions, TraceLambdaHandlerOptions } from './trace-lambda-handler-options'
