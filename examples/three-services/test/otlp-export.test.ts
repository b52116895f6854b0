import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { afterEach, describe, expect, it } from 'vitest'
import { describeExport } from '../src/describe-export'
import { ExportTally } from '../src/export-tally'
import { oneLineDiagLogger } from '../src/one-line-diag-logger'
import { otlpTracesUrl, probeOtlp } from '../src/otlp-endpoint'

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

/** A loopback server answering every request with `status`, or never answering when null. */
async function receiver(status: number | null): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      bodies.push(body)
      if (status !== null) res.writeHead(status, { 'content-type': 'application/json' }).end('{}')
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, bodies }
}

/** A loopback port that nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('otlpTracesUrl', () => {
  it('appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT, as the exporter does', () => {
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' })).toBe(
      'http://localhost:4318/v1/traces',
    )
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector/otlp/' })).toBe(
      'http://collector/otlp/v1/traces',
    )
  })

  it('takes OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, and is undefined when neither is set', () => {
    expect(
      otlpTracesUrl({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/traces',
      }),
    ).toBe('http://b:4318/traces')
    expect(otlpTracesUrl({})).toBeUndefined()
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toBeUndefined()
  })
})

describe('probeOtlp', () => {
  it('is satisfied by any HTTP answer, and posts an empty trace export', async () => {
    const ok = await receiver(200)
    const notFound = await receiver(404)
    expect(await probeOtlp(ok.url)).toBeUndefined()
    expect(await probeOtlp(notFound.url)).toBeUndefined()
    expect(JSON.parse(ok.bodies[0]!)).toEqual({ resourceSpans: [] })
  })

  it('says "connection refused" when nothing listens on the port', async () => {
    expect(await probeOtlp(`http://127.0.0.1:${await closedPort()}/v1/traces`)).toBe('connection refused')
  })

  it('gives up on a server that never answers, saying how long it waited', async () => {
    const silent = await receiver(null)
    expect(await probeOtlp(silent.url, 200)).toBe('no answer within 0.2 s')
  })

  it('names a value that is not an http(s) URL', async () => {
    expect(await probeOtlp('localhost:4318')).toBe('localhost:4318 is not an http(s) URL')
    expect(await probeOtlp('not a url')).toBe('not a url is not a URL')
  })
})

describe('ExportTally', () => {
  const lines: string[] = []
  afterEach(() => {
    lines.length = 0
    diag.disable()
  })

  async function exportSpans(url: string, count: number): Promise<ExportTally> {
    diag.setLogger(
      oneLineDiagLogger((line) => lines.push(line)),
      DiagLogLevel.WARN,
    )
    const tally = new ExportTally()
    const restore = tally.handleGlobalErrors()
    const provider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(tally.wrap(new OTLPTraceExporter({ url })))],
    })
    for (let i = 0; i < count; i++) provider.getTracer('test').startSpan(`span ${i}`).end()
    await provider.shutdown().catch(tally.report)
    restore()
    return tally
  }

  it('counts the spans an endpoint accepted', async () => {
    const ok = await receiver(200)
    const tally = await exportSpans(ok.url, 3)
    expect(tally.summary()).toEqual({ exported: 3, failed: 0 })
    expect(describeExport(tally.summary(), ok.url, 'abc')).toBe(
      `exported 3 spans over OTLP to ${ok.url}; in Jaeger: http://localhost:16686/trace/abc`,
    )
    expect(lines).toEqual([])
  })

  it('counts a rejected export once, in brief, and prints no error object', async () => {
    const notFound = await receiver(404)
    const tally = await exportSpans(notFound.url, 2)
    expect(tally.summary()).toEqual({ exported: 0, failed: 2, error: 'HTTP 404 Not Found' })
    const line = describeExport(tally.summary(), notFound.url, 'abc')
    expect(line).toBe(`OTLP: 2 of 2 spans not exported to ${notFound.url} (HTTP 404 Not Found)`)
    expect(line).not.toContain('16686')
    // The shutdown's rejection is the error already counted: nothing more is logged.
    expect(lines).toEqual([])
  })

  it('adds what another process counted', () => {
    const tally = new ExportTally()
    tally.add({ exported: 4, failed: 0 })
    tally.add({ exported: 0, failed: 1, error: 'connect ECONNREFUSED 127.0.0.1:1' })
    expect(tally.summary()).toEqual({ exported: 4, failed: 1, error: 'connect ECONNREFUSED 127.0.0.1:1' })
  })
})

describe('oneLineDiagLogger', () => {
  it('reduces an error argument to its message, on the same line', () => {
    const lines: string[] = []
    const logger: DiagLogger = oneLineDiagLogger((line) => lines.push(line))
    const error = Object.assign(new Error('Not Found\n  at somewhere'), { code: 404, data: '{}' })
    logger.warn('flushing spans failed', [error])
    logger.error('plain')
    expect(lines).toEqual(['flushing spans failed (Not Found)', 'plain'])
  })
})
