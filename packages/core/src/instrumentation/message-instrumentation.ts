import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  type TracerProvider,
  trace,
} from '@opentelemetry/api'
import { isTracingSuppressed } from '@opentelemetry/core'
import { compileOutboundBaggage, type OutboundBaggage } from '../policy/outbound-baggage'
import type { InstrumentationScope } from './client-instrumentation'
import { injectContext } from './inject-context'
import { recordError } from './record-error'
import { safely } from './safely'

/** Options shared by the messaging producers/consumers and the Lambda queue handlers. */
export interface MessagingOptions {
  /** Default: the global tracer provider. */
  tracerProvider?: TracerProvider
  /** Default: the global propagator (`propagation`). */
  propagator?: TextMapPropagator
  /** `true` (default): PRODUCER / CONSUMER spans. `false`: inject and extract only. */
  spans?: boolean
  /** Which baggage entries may ride on a message; secret-looking keys never do by default. */
  baggage?: OutboundBaggage
}

/** `messaging.operation.type` values of the messaging semantic conventions. */
export type MessageOperationType = 'send' | 'receive' | 'process'

/** What the caller knows about one messaging operation (send, receive or process). */
export interface MessageOperation {
  /** `messaging.system`: `aws_sqs`, `aws_sns`, `kafka`, `rabbitmq`, `nats`… */
  system: string
  /** `messaging.destination.name`: queue, topic, exchange or subject. */
  destination: string
  /** `messaging.operation.name`, e.g. `SendMessage`, `publish`; default the operation type. */
  operationName?: string
  /** `messaging.message.id` when a single message's id is already known. */
  messageId?: string
  /** `messaging.batch.message_count` for operations on more than one message. */
  batchSize?: number
  /** Extra attributes for the span (`messaging.kafka.message.key`, `cloud.region`…). */
  attributes?: Attributes
}

/** How a traced messaging operation ended. */
export interface MessageOutcome {
  /** Known only once the broker answered (SQS `MessageId`, SNS `MessageId`). */
  messageId?: string
  error?: unknown
}

/** One traced messaging operation. */
export interface MessageSpan {
  /** Undefined with `spans: false` or when tracing is suppressed. */
  readonly span: Span | undefined
  /** The context to run the operation (or the message handler) in. */
  readonly context: Context
  /** Records the outcome and ends the span; later calls do nothing. */
  end(outcome?: MessageOutcome): void
}

/** A traced send: its context must be injected into every message it sends. */
export interface MessageSend extends MessageSpan {
  /** Writes `traceparent`, `tracestate` and the allowed baggage into a message's carrier. */
  inject<C>(carrier: C, setter: TextMapSetter<C>): void
}

export interface MessagingInstrumentation {
  /** Starts a PRODUCER span named `send <destination>` in the active context. */
  startSend(operation: MessageOperation): MessageSend
  /**
   * The context a message carries (trace context and baggage), extracted on its own rather than
   * on top of the active context, so a message without one yields no span context. Never throws.
   */
  extract<C>(carrier: C, getter: TextMapGetter<C>): Context
  /**
   * Starts a CONSUMER `process <destination>` span for one message, as a child of the span in
   * `producerContext` (from `extract`), with the message's baggage. The span active at the call
   * (a receive loop, a Lambda invocation) becomes a link. A message without trace context gets
   * the active span as its parent.
   */
  startProcess(operation: MessageOperation, producerContext: Context): MessageSpan
  /**
   * Starts one span for a batch of messages, a child of the active context with one link per
   * message that carries a valid trace context. `type` `'process'` (default) makes a CONSUMER
   * span, `'receive'` a CLIENT span, as the semantic conventions say for a pull.
   */
  startBatch(
    operation: MessageOperation,
    producerContexts: readonly Context[],
    type?: Exclude<MessageOperationType, 'send'>,
  ): MessageSpan
}

function attributesOf(operation: MessageOperation, type: MessageOperationType): Attributes {
  const attributes: Attributes = {
    ...operation.attributes,
    'messaging.system': operation.system,
    'messaging.destination.name': operation.destination,
    'messaging.operation.type': type,
    'messaging.operation.name': operation.operationName ?? type,
  }
  if (operation.messageId !== undefined) attributes['messaging.message.id'] = operation.messageId
  if (operation.batchSize !== undefined) attributes['messaging.batch.message_count'] = operation.batchSize
  return attributes
}

/**
 * The one PRODUCER / CONSUMER span implementation behind `@otel-http/messaging` and the queue
 * events of `@otel-http/lambda`: messaging semantic conventions, outbound baggage guard,
 * `isTracingSuppressed`, and exceptions reported through `diag`, never thrown at the caller.
 *
 * @example
 * const messaging = createMessagingInstrumentation({}, { name: '@otel-http/messaging' })
 * const send = messaging.startSend({ system: 'aws_sqs', destination: 'jobs' })
 * send.inject(attributes, sqsAttributesSetter)
 * // … after the broker answers:
 * send.end({ messageId })
 *
 * const parent = messaging.extract(message.MessageAttributes, sqsAttributesGetter)
 * const process = messaging.startProcess({ system: 'aws_sqs', destination: 'jobs' }, parent)
 * await context.with(process.context, () => handle(message))
 * process.end()
 */
export function createMessagingInstrumentation(
  options: MessagingOptions = {},
  scope: InstrumentationScope,
): MessagingInstrumentation {
  const { tracerProvider, propagator = propagation as unknown as TextMapPropagator, spans = true } = options
  const tracer = (tracerProvider ?? trace).getTracer(scope.name, scope.version)
  const filterBaggage = compileOutboundBaggage(options.baggage)

  function handle(span: Span | undefined, ctx: Context): MessageSpan {
    let ended = false
    return {
      span,
      context: ctx,
      end(outcome = {}) {
        if (ended || !span) return
        ended = true
        safely(
          'ending the messaging span',
          () => {
            if (outcome.messageId !== undefined) span.setAttribute('messaging.message.id', outcome.messageId)
            const { error } = outcome
            if (error !== undefined) recordError(span, error)
          },
          undefined,
        )
        span.end()
      },
    }
  }

  function start(
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    parent: Context,
    links?: Link[],
  ): MessageSpan {
    if (!spans || isTracingSuppressed(parent)) return handle(undefined, parent)
    const span = safely(
      'starting the messaging span',
      () => tracer.startSpan(name, { kind, attributes, links }, parent),
      undefined,
    )
    return handle(span, span ? trace.setSpan(parent, span) : parent)
  }

  function injectInto<C>(ctx: Context, carrier: C, setter: TextMapSetter<C>): void {
    safely('inject', () => injectContext(propagator, filterBaggage, ctx, carrier, setter), undefined)
  }

  return {
    startSend(operation) {
      const parent = context.active()
      const attributes = attributesOf(operation, 'send')
      const sent = start(
        `${attributes['messaging.operation.name']} ${operation.destination}`,
        SpanKind.PRODUCER,
        attributes,
        parent,
      )
      // An exporter's own sends (tracing suppressed) carry no context either.
      const suppressed = isTracingSuppressed(parent)
      return {
        ...sent,
        inject: (carrier, setter) => {
          if (!suppressed) injectInto(sent.context, carrier, setter)
        },
      }
    },

    extract(carrier, getter) {
      return safely('extract', () => propagator.extract(ROOT_CONTEXT, carrier, getter), ROOT_CONTEXT)
    },

    startProcess(operation, producerContext) {
      const active = context.active()
      // Keep whatever else the active context holds (suppression, user keys); replace only the
      // span and the baggage with the message's.
      let parent = active
      const links: Link[] = []
      const remote = trace.getSpanContext(producerContext)
      if (remote && trace.isSpanContextValid(remote)) {
        parent = trace.setSpanContext(active, remote)
        const ambient = trace.getSpanContext(active)
        if (ambient && trace.isSpanContextValid(ambient)) links.push({ context: ambient })
      }
      const baggage = propagation.getBaggage(producerContext)
      if (baggage) parent = propagation.setBaggage(parent, baggage)
      const attributes = attributesOf(operation, 'process')
      return start(
        `${attributes['messaging.operation.name']} ${operation.destination}`,
        SpanKind.CONSUMER,
        attributes,
        parent,
        links,
      )
    },

    startBatch(operation, producerContexts, type = 'process') {
      const links: Link[] = []
      for (const ctx of producerContexts) {
        const spanContext = trace.getSpanContext(ctx)
        if (spanContext && trace.isSpanContextValid(spanContext)) links.push({ context: spanContext })
      }
      const attributes = attributesOf({ batchSize: producerContexts.length, ...operation }, type)
      return start(
        `${attributes['messaging.operation.name']} ${operation.destination}`,
        type === 'receive' ? SpanKind.CLIENT : SpanKind.CONSUMER,
        attributes,
        context.active(),
        links,
      )
    },
  }
}
