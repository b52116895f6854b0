import type { RequestStats, ServiceRequestStats } from './service-metrics'

const ms = (seconds: number | undefined) =>
  seconds === undefined ? '?' : `${(seconds * 1000).toFixed(1)} ms`

const stats = (verb: string, { count, p50, p99 }: RequestStats) =>
  count === 0 ? `${verb} 0` : `${verb} ${count} (p50 ${ms(p50)}, p99 ${ms(p99)})`

/**
 * One line per service from its HTTP metrics: requests served (`http.server.request.duration`)
 * and made (`http.client.request.duration`), with p50 and p99 estimated from the histogram buckets.
 *
 * @example
 * console.log(renderRequests(result.requests).join('\n'))
 */
export function renderRequests(requests: ServiceRequestStats[]): string[] {
  const width = Math.max(0, ...requests.map((r) => r.service.length))
  return requests.map(
    ({ service, server, client }, i) =>
      `${i === 0 ? 'requests' : ''}`.padEnd(13) +
      `${service.padEnd(width)}  ${stats('served', server).padEnd(38)} ${stats('made', client)}`,
  )
}
