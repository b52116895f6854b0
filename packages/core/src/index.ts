// Carriers: getters and setters for the header shapes every adapter meets.
export { combineHeaderValues } from './carriers/carrier-values'
export { fetchHeadersGetter, fetchHeadersSetter } from './carriers/fetch-headers-carrier'
export { validatingSetter } from './carriers/header-value'
export { incomingHeadersGetter } from './carriers/incoming-headers-carrier'
export { type MessageAttributeLike, messageAttributesGetter } from './carriers/message-attributes-carrier'
export {
  copyHeaderRecord,
  freshRecordSetter,
  type HeaderRecord,
  recordGetter,
  recordSetter,
} from './carriers/record-carrier'
// Instrumentation: the request handles every adapter is built on, and their options.
export { createClientInstrumentation } from './instrumentation/client-instrumentation'
export type {
  ClientOptions,
  ClientRequestHookState,
  ClientResponseHookState,
} from './instrumentation/client-options'
export { compileOptions, type InstrumentationScope } from './instrumentation/compile-options'
export { safely } from './instrumentation/guard'
export { hopCheckedDispatcher } from './instrumentation/hop-checked-dispatcher'
export {
  createMessagingInstrumentation,
  type MessageOperation,
  type MessagingOptions,
} from './instrumentation/message-instrumentation'
export { OutboundHandle, RequestHandle, type RequestOutcome } from './instrumentation/request-handle'
export {
  createServerInstrumentation,
  ServerHandle,
  type ServerInstrumentation,
} from './instrumentation/server-instrumentation'
export type {
  ServerOptions,
  ServerRequestHookState,
  ServerResponseHookState,
} from './instrumentation/server-options'
// Trust policy: which destinations get context, which baggage goes out and comes in.
export type { AcceptBaggage } from './policy/inbound-baggage'
export type { OutboundBaggage } from './policy/outbound-baggage'
export type { PathMatch } from './policy/path-matcher'
export { redirectHops } from './policy/redirect-hop'
export type { UrlMatch } from './policy/url-matcher'
// W3C propagation: Trace Context Level 2 and Baggage, and their parsers.
export { traceContextPropagator } from './w3c/trace-context-propagator'
export { formatTraceparent, parseTraceparent, type Traceparent } from './w3c/traceparent'
export { parseTracestate, W3CTraceState } from './w3c/tracestate'
export { w3cBaggagePropagator } from './w3c/w3c-baggage-propagator'
export { type W3CPropagatorOptions, w3cPropagator } from './w3c/w3c-propagator'
