import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  SpanKind,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api'
import type { OutboundBaggage } from '../policy/outbound-baggage'
import { isTracingSuppressed } from '../policy/suppress-tracing'
import { type CommonOptions, compileOptions, type InstrumentationScope } from './compile-options'
import type { MetricsOptions } from './follow-meter'
import { compileInjector } from './inject-context'
import { compileMessagingMetrics } from './messaging-metrics'
import { type Finish, OutboundHandle, RequestHandle } from './request-handle'

/**
 * Options shared by the messaging producers/consumers and the Lambda queue handlers. `metrics`:
 * `messaging.client.operation.duration` (send, receive) and `messaging.process.duration`.
 *
 * @example
 * const options: MessagingOptions = { spans: true, baggage: ['tenant'] }
 * const messaging = createMessagingInstrumentation(options, { name: '@my/queue' })
 */
export interface MessagingOptions extends CommonOptions, MetricsOptions {
  /** `true` (default): PRODUCER / CONSUMER spans. `false`: inject and extract only. */
  spans?: boolean
  /** Which baggage entries may ride on a message; secret-looking keys never do by default. */
  baggage?: OutboundBaggage
}

/** `messaging.operation.type` values of the messaging semantic conventions. */
type MessageOperationType = 'send' | 'receive' | 'process'

/**
 * What the caller knows about one messaging operation (send, receive or process).
 *
 * @example
 * const operation: MessageOperation = { system: 'aws_sqs', destination: 'jobs', operationName: 'SendMessage' }
 * const send = messaging.startSend(operation)
 */
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

export interface MessagingInstrumentation {
  /**
   * Starts a PRODUCER span named `send <destination>` in the active context; its handle injects
   * the span's context into every message sent. When tracing is suppressed (an exporter's own
   * sends) the handle neither traces nor injects.
   */
  startSend(operation: MessageOperation): OutboundHandle
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
  startProcess(operation: MessageOperation, producerContext: Context): RequestHandle
  /**
   * Starts one span for a batch of messages, a child of the active context with one link per
   * message that carries a valid trace context. `type` `'process'` (default) makes a CONSUMER
   * span, `'receive'` a CLIENT span, as the semantic conventions say for a pull.
   */
  startBatch(
    operation: MessageOperation,
    producerContexts: readonly Context[],
    type?: 'process' | 'receive',
  ): RequestHandle
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
  const { spans = true } = options
  const { propagator, startSpan, extract } = compileOptions(options, scope)
  const injector = compileInjector(propagator, options.baggage)
  const finish: Finish<unknown> = (span, { messageId }) => {
    if (messageId !== undefined) span.setAttribute('messaging.message.id', messageId)
  }

  const messagingMetrics = compileMessagingMetrics(options, scope)

  /** The span (unless `spans: false`) and measurement of one operation, neither when suppressed. */
  function start(
    operation: MessageOperation,
    type: MessageOperationType,
    kind: SpanKind,
    parent: Context,
    links?: Link[],
  ) {
    // An exporter's own operations (tracing suppressed) are neither traced nor measured.
    if (isTracingSuppressed(parent)) return { span: undefined, context: parent, measurement: undefined }
    const attributes = attributesOf(operation, type)
    const operationName = String(attributes['messaging.operation.name'])
    const name = `${operationName} ${operation.destination}`
    const span = spans ? startSpan(name, { kind, attributes, links }, parent) : undefined
    const measurement = messagingMetrics.start({
      type,
      system: operation.system,
      destination: operation.destination,
      operationName,
    })
    return { span, context: span ? trace.setSpan(parent, span) : parent, measurement }
  }

  return {
    startSend(operation) {
      const parent = context.active()
      const sent = start(operation, 'send', SpanKind.PRODUCER, parent)
      // An exporter's own sends (tracing suppressed) carry no context either.
      const inject = isTracingSuppressed(parent) ? undefined : injector
      return new OutboundHandle(
        sent.span,
        sent.context,
        finish,
        inject,
        sent.context,
        undefined,
        sent.measurement,
      )
    },

    extract,

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
      const started = start(operation, 'process', SpanKind.CONSUMER, parent, links)
      return new RequestHandle(started.span, started.context, finish, started.measurement)
    },

    startBatch(operation, producerContexts, type = 'process') {
      const links: Link[] = []
      for (const ctx of producerContexts) {
        const spanContext = trace.getSpanContext(ctx)
        if (spanContext && trace.isSpanContextValid(spanContext)) links.push({ context: spanContext })
      }
      const kind = type === 'receive' ? SpanKind.CLIENT : SpanKind.CONSUMER
      const batch = { batchSize: producerContexts.length, ...operation }
      const started = start(batch, type, kind, context.active(), links)
      return new RequestHandle(started.span, started.context, finish, started.measurement)
    },
  }
}
