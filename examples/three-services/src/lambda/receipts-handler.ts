import { context, type TracerProvider } from '@opentelemetry/api'
import { tracedFetch } from '@otel-http/fetch'
import { recordContext, traceLambdaHandler } from '@otel-http/lambda'
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda'

export interface ReceiptsHandlerOptions {
  tracerProvider: TracerProvider
  /** Base URL of the notifier: the one destination that gets trace headers. */
  notifier: string
}

/**
 * The receipts Lambda: one SQS batch per invocation, each job processed inside its record's
 * context (the producer's trace, the sender's Baggage) and sent on to the notifier.
 *
 * @example
 * export const handler = createReceiptsHandler({ tracerProvider, notifier: process.env.NOTIFIER_URL! })
 */
export function createReceiptsHandler({ tracerProvider, notifier }: ReceiptsHandlerOptions) {
  const fetchNotifier = tracedFetch(globalThis.fetch, { tracerProvider, propagateTo: [notifier] })

  return traceLambdaHandler(
    async (event: SQSEvent): Promise<SQSBatchResponse> => {
      const batchItemFailures: SQSBatchResponse['batchItemFailures'] = []
      for (const record of event.Records) {
        const response = await context.with(recordContext(record), () =>
          fetchNotifier(`${notifier}/receipts`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: record.body,
          }),
        )
        await response.arrayBuffer()
        if (!response.ok) batchItemFailures.push({ itemIdentifier: record.messageId })
      }
      return { batchItemFailures }
    },
    { tracerProvider },
  )
}
