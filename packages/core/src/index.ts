export { type AxiosHeadersLike, axiosHeadersGetter, axiosHeadersSetter } from './axios-headers-carrier'
export { checkJoinedValue, combineHeaderValues } from './carrier-values'
export {
  type ClientCall,
  type ClientInstrumentation,
  type ClientRequestStart,
  createClientInstrumentation,
  type InstrumentationScope,
} from './client-instrumentation'
export type {
  ClientOptions,
  ClientRequestHookState,
  ClientRequestInfo,
  ClientResponseHookState,
} from './client-options'
export { fetchHeadersGetter, fetchHeadersSetter } from './fetch-headers-carrier'
export { errorType, type NormalizedMethod, normalizeMethod, redactedUrl, serverPort } from './http-attributes'
export { compileInboundBaggage } from './inbound-baggage'
export { type IncomingHeaders, incomingHeadersGetter } from './incoming-headers-carrier'
export {
  createMessagingInstrumentation,
  type MessageOperation,
  type MessageOperationType,
  type MessageOutcome,
  type MessageSend,
  type MessageSpan,
  type MessagingInstrumentation,
  type MessagingOptions,
} from './message-instrumentation'
export { compileOutboundBaggage, type OutboundBaggage, type OutboundBaggageOptions } from './outbound-baggage'
export { compilePathMatch, type PathMatch } from './path-matcher'
export { type HeaderRecord, recordGetter, recordSetter } from './record-carrier'
export { recordError } from './record-error'
export { safely } from './safely'
export { isSecretLookingKey } from './secret-keys'
export {
  createServerInstrumentation,
  type ServerInstrumentation,
  type ServerOutcome,
  type ServerRequest,
  type ServerRequestStart,
} from './server-instrumentation'
export type {
  AcceptBaggage,
  ServerOptions,
  ServerRequestHookState,
  ServerRequestInfo,
  ServerResponseHookState,
  ServerSpanNameInfo,
} from './server-options'
export { type TraceContextPropagatorOptions, traceContextPropagator } from './trace-context-propagator'
export { formatTraceparent, parseTraceparent, type Traceparent } from './traceparent'
export { parseTracestate, W3CTraceState } from './tracestate'
export {
  type FlatHeaders,
  flatHeadersGetter,
  flatHeadersSetter,
  toFlatHeaders,
  type UndiciHeaders,
  undiciHeadersGetter,
  undiciHeadersSetter,
} from './undici-headers-carrier'
export { compileUrlMatch, type UrlMatch } from './url-matcher'
export { w3cBaggagePropagator } from './w3c-baggage-propagator'
export { type W3CPropagatorOptions, w3cPropagator } from './w3c-propagator'
