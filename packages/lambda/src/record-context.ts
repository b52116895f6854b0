import { type Context, context } from '@opentelemetry/api'

// Keyed by the record objects of the event the handler receives, so nothing outlives the event.
const recordContexts = new WeakMap<object, Context>()

export function setRecordContext(record: object, ctx: Context): void {
  recordContexts.set(record, ctx)
}

/**
 * The context to process one SQS or SNS record in: its process span (a child of the producer's
 * span) is active and the record's baggage is set. The handler runs once for the whole batch,
 * so per-record work has to enter this context itself. Outside a traced invocation it returns
 * the active context, so the call is always safe.
 *
 * @example
 * import { context } from '@opentelemetry/api'
 * import { recordContext, traceLambdaHandler } from '@otel-http/lambda'
 *
 * export const handler = traceLambdaHandler(async (event: SQSEvent) => {
 *   for (const record of event.Records) {
 *     await context.with(recordContext(record), () => processJob(JSON.parse(record.body)))
 *   }
 * })
 */
export function recordContext(record: object): Context {
  return recordContexts.get(record) ?? context.active()
}
