import {
  type Attributes,
  type Context,
  context,
  ROOT_CONTEXT,
  type SpanContext,
  SpanStatusCode,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api'
import { createMessagingInstrumentation, type RequestHandle, safely } from '@otel-http/core'
import { type Invocation, SCOPE } from './invocation'
import type { SnsRecord, SqsRecord } from './lambda-events'
import { snsRecordGetter, sqsRecordGetter } from './message-attribute-carriers'
import { setRecordContext } from './record-context'
import type { TraceLambdaHandlerOptions } from './trace-lambda-handler-options'
import { addXrayLink, xrayContext } from './xray-context'

/** How to read one kind of record. */
interface RecordSource<R> {
  system: string
  getter: TextMapGetter<R>
  destination(record: R): string
  messageId(record: R): string
  /** The X-Ray header the service attached to the record, if any. */
  xrayHeader(record: R): string | undefined
}

// arn:aws:sqs:us-east-1:123456789012:my-queue → my-queue
const lastArnPart = (arn: string | undefined) => arn?.slice(arn.lastIndexOf(':') + 1) || 'unknown'

const sqs: RecordSource<SqsRecord> = {
  system: 'aws_sqs',
  getter: sqsRecordGetter,
  destination: (record) => lastArnPart(record.eventSourceARN),
  messageId: (record) => record.messageId,
  xrayHeader: (record) => record.attributes?.AWSTraceHeader,
}

const sns: RecordSource<SnsRecord> = {
  system: 'aws.sns',
  getter: snsRecordGetter,
  destination: (record) => lastArnPart(record.Sns.TopicArn),
  messageId: (record) => record.Sns.MessageId,
  xrayHeader: () => undefined,
}

/** What one SQS or SNS invocation starts with. */
export type QueueInvocationStart =
  | { kind: 'sqs'; records: SqsRecord[]; xray: SpanContext | undefined; attributes: Attributes }
  | { kind: 'sns'; records: SnsRecord[]; xray: SpanContext | undefined; attributes: Attributes }

/** SQS's partial batch response: the ids of the records the handler reports as failed. */
function failedIds(result: unknown): Set<string> {
  const failures = (result as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures
  const ids = new Set<string>()
  if (Array.isArray(failures)) {
    for (const failure of failures) {
      const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier
      if (typeof id === 'string') ids.add(id)
    }
  }
  return ids
}

/**
 * One CONSUMER span for the invocation, linked to every record's context, and one process span
 * per record as a child of that record's context, all through core's messaging instrumentation.
 */
export function createQueueInvocations(options: TraceLambdaHandlerOptions) {
  // No messaging metrics here: the invocation's batch handle and each record's would count every
  // message's processing twice, and batchItemFailures reach the spans only.
  const messaging = createMessagingInstrumentation(
    { tracerProvider: options.tracerProvider, propagator: options.propagator, metrics: false },
    SCOPE,
  )

  function start<R extends object>(
    source: RecordSource<R>,
    records: R[],
    invocationXray: SpanContext | undefined,
    attributes: Attributes,
  ): Invocation {
    // Each record's context: W3C attributes when valid, else the record's X-Ray header; an
    // X-Ray header beside a W3C context becomes a link on the record's process span.
    const contexts: Context[] = []
    const xrayLinks: (SpanContext | undefined)[] = []
    for (const record of records) {
      let extracted = messaging.extract(record, source.getter)
      const w3c = trace.getSpanContext(extracted)
      const xray = xrayContext(source.xrayHeader(record))
      const w3cValid = w3c !== undefined && trace.isSpanContextValid(w3c)
      if (!w3cValid && xray) extracted = trace.setSpanContext(extracted, xray)
      contexts.push(extracted)
      xrayLinks.push(w3cValid ? xray : undefined)
    }

    const destination = source.destination(records[0]!)
    // The invocation itself has no W3C context: Lambda's X-Ray context is its parent when set.
    const parent = invocationXray ? trace.setSpanContext(ROOT_CONTEXT, invocationXray) : ROOT_CONTEXT
    const operation = { system: source.system, destination, attributes }
    const batch = context.with(parent, () => messaging.startBatch(operation, contexts))
    const processes: RequestHandle[] = records.map((record, i) =>
      context.with(batch.context, () => {
        const process = messaging.startProcess(
          {
            system: source.system,
            destination: source.destination(record),
            messageId: source.messageId(record),
          },
          contexts[i]!,
        )
        addXrayLink(process.span, xrayLinks[i])
        setRecordContext(record, process.context)
        return process
      }),
    )

    return {
      context: batch.context,
      end({ response, error } = {}) {
        const failed = error === undefined ? failedIds(response) : new Set<string>()
        records.forEach((record, i) => {
          const process = processes[i]!
          const { span } = process
          if (span && failed.has(source.messageId(record))) {
            safely(
              'marking a batch item failure',
              () => {
                span.setAttribute('error.type', 'batch_item_failure')
                span.setStatus({ code: SpanStatusCode.ERROR, message: 'reported in batchItemFailures' })
              },
              undefined,
            )
          }
          process.end(error === undefined ? {} : { error })
        })
        batch.end(error === undefined ? {} : { error })
      },
    }
  }

  return function startQueueInvocation(invocation: QueueInvocationStart): Invocation {
    return invocation.kind === 'sqs'
      ? start(sqs, invocation.records, invocation.xray, invocation.attributes)
      : start(sns, invocation.records, invocation.xray, invocation.attributes)
  }
}
