import { renderRequests } from './render-requests'
import { type DemoResult, FORGED } from './run-demo'

const TRACE_HEADERS = ['traceparent', 'tracestate', 'baggage']

/**
 * The short summary printed under the tree: trace id, span count, services, whether every span
 * carries `user_id`, what became of the forged context, what the third party received, and each
 * service's request count and latency from its HTTP metrics.
 *
 * @example
 * console.log(renderSummary(await runDemo()))
 */
export function renderSummary({
  traceId,
  spans,
  linkedSpans,
  thirdPartyReceived,
  requests,
}: DemoResult): string {
  const services = [...new Set(spans.map((s) => s.service))]
  const userIds = [...new Set(spans.map((s) => s.attributes.user_id))]
  const missing = spans.filter((s) => s.attributes.user_id === undefined)
  const traces = new Set(spans.map((s) => s.traceId))
  const root = spans.find((s) => s.service === 'gateway' && s.kind === 'SERVER')
  const continued = root?.traceId === FORGED.traceId
  const linked = root?.links.some((l) => l.traceId === FORGED.traceId && l.spanId === FORGED.spanId) ?? false
  const inboundKeys = root?.attributes['demo.inbound_baggage_keys']
  const received = thirdPartyReceived.flat()
  const leaked = TRACE_HEADERS.filter((h) => received.includes(h))

  const yesNo = (ok: boolean) => (ok ? 'yes' : 'NO')
  return [
    `trace id     ${traceId}${traces.size > 1 ? `  (NOT the only one: ${traces.size} trace ids recorded)` : ''}`,
    `spans        ${spans.length}`,
    `services     ${services.join(', ')}`,
    `user_id      on every span: ${yesNo(missing.length === 0)}${missing.length ? ` (missing on ${missing.map((s) => `${s.service} ${s.name}`).join(', ')})` : ''}; values: ${userIds.filter((v) => v !== undefined).join(', ')}`,
    `forged       traceparent ${FORGED.traceparent}: ${continued ? 'CONTINUED' : 'not continued'}; new root linked to it: ${yesNo(!continued && linked && root?.parentSpanId === null)}`,
    `             baggage "${FORGED.baggage}": gateway handler saw keys [${Array.isArray(inboundKeys) ? inboundKeys.join(', ') : '?'}]`,
    ...linkedSpans.map(
      (s) =>
        `linked       ${s.service} ${s.kind} "${s.name}": its own trace ${s.traceId}, linked to ${s.links.filter((l) => l.traceId === traceId).length} message(s) of this one`,
    ),
    `third party  received headers: ${received.length ? [...new Set(received)].join(', ') : '(no request)'}`,
    `             trace headers / baggage sent to it: ${leaked.length ? leaked.join(', ') : 'none'}`,
    ...renderRequests(requests),
  ].join('\n')
}
