import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DemoSpan } from '../src/demo-span'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
}
interface OtlpMetrics {
  resourceMetrics: Array<{
    resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }
    scopeMetrics: Array<{ metrics: Array<{ name: string }> }>
  }>
}
interface OtlpRequest {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }
    scopeSpans: Array<{ spans: OtlpSpan[] }>
  }>
}

/** Runs `pnpm demo <args>` from the repository root, the way a user does. */
function pnpmDemo(args: string[], env: NodeJS.ProcessEnv) {
  // Under `pnpm test`, npm_execpath is the running pnpm; otherwise the one on PATH.
  const execPath = process.env.npm_execpath
  const [command, prefix] =
    execPath && /pnpm/.test(execPath) && /\.c?js$/.test(execPath)
      ? [process.execPath, [execPath]]
      : ['pnpm', [] as string[]]
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, [...prefix, 'demo', ...args], { cwd: ROOT, env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('pnpm demo --json with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  const requests: Array<{ path: string; contentType: string; body: OtlpRequest }> = []
  let receiver: Server
  let run: Awaited<ReturnType<typeof pnpmDemo>>
  let endpoint: string

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (chunk) => {
        body += chunk
      })
      req.on('end', () => {
        requests.push({
          path: req.url ?? '',
          contentType: req.headers['content-type'] ?? '',
          body: JSON.parse(body),
        })
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    const { port } = receiver.address() as AddressInfo
    endpoint = `http://127.0.0.1:${port}`
    run = await pnpmDemo(['--json'], { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint })
  }, 90_000)

  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())))

  it("exports each service's HTTP metrics over OTLP/HTTP to /v1/metrics", () => {
    const names = new Map<string, Set<string>>()
    for (const { path, body } of requests) {
      if (path !== '/v1/metrics') continue
      for (const { resource, scopeMetrics } of (body as unknown as OtlpMetrics).resourceMetrics) {
        const service = resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?'
        const seen = names.get(service) ?? new Set()
        for (const { metrics } of scopeMetrics) for (const { name } of metrics) seen.add(name)
        names.set(service, seen)
      }
    }
    const server = ['http.server.active_requests', 'http.server.request.duration']
    const both = [...server, 'http.client.request.duration'].sort()
    expect(Object.fromEntries([...names].map(([service, seen]) => [service, [...seen].sort()]))).toEqual({
      gateway: both,
      'service-a': both,
      'service-b': both,
      'service-c': both,
      notifier: server,
    })
  })

  it('exits by itself, successfully, with only a JSON array of one trace on stdout', () => {
    expect(run.code, run.stderr).toBe(0)
    const spans = JSON.parse(run.stdout) as DemoSpan[]
    expect(Array.isArray(spans)).toBe(true)
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1)
    expect(new Set(spans.map((s) => s.service))).toEqual(
      new Set(['gateway', 'service-a', 'service-b', 'service-c', 'receipts', 'notifier']),
    )
  })

  it('says on stderr, in one line, how many spans it exported and where to see them', () => {
    const spans = JSON.parse(run.stdout) as DemoSpan[]
    const url = `${endpoint}/v1/traces`
    // The checkout trace's spans and the Lambda invocation's own span.
    expect(run.stderr.trim().split('\n')).toEqual([
      `exported ${spans.length + 1} spans over OTLP to ${url}; in Jaeger: http://localhost:16686/trace/${spans[0]!.traceId}`,
    ])
  })

  it('exports every span over OTLP/HTTP to /v1/traces, from both processes, under its own service.name', () => {
    const spans = JSON.parse(run.stdout) as DemoSpan[]
    const traces = requests.filter((request) => request.path === '/v1/traces')
    expect(traces.length).toBeGreaterThan(0)
    for (const request of requests) {
      expect(request.path).toMatch(/^\/v1\/(traces|metrics)$/)
      expect(request.contentType).toMatch(/application\/json/)
    }
    const exported = new Map<string, { service: string | undefined; span: OtlpSpan }>()
    for (const { body } of traces) {
      for (const { resource, scopeSpans } of body.resourceSpans) {
        const service = resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue
        for (const { spans: batch } of scopeSpans)
          for (const span of batch) exported.set(span.spanId, { service, span })
      }
    }
    // …plus the Lambda invocation's span, which lives in its own trace, linked to the message
    const extra = [...exported.values()].filter(({ span }) => !spans.some((s) => s.spanId === span.spanId))
    expect(extra.map(({ service }) => service)).toEqual(['receipts'])
    for (const span of spans) {
      const sent = exported.get(span.spanId)
      expect(sent, `${span.service} ${span.name}`).toBeDefined()
      expect(sent!.service).toBe(span.service)
      expect(sent!.span.traceId).toBe(span.traceId)
      expect(sent!.span.name).toBe(span.name)
    }
  })
})

describe('pnpm demo with OTEL_EXPORTER_OTLP_ENDPOINT where nothing listens', () => {
  let url: string
  let run: Awaited<ReturnType<typeof pnpmDemo>>

  beforeAll(async () => {
    // A loopback port the OS handed out and that was closed again: connecting is refused.
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const { port } = probe.address() as AddressInfo
    await new Promise((resolve) => probe.close(resolve))
    url = `http://127.0.0.1:${port}/v1/traces`
    run = await pnpmDemo([], { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` })
  }, 90_000)

  it('still draws the trace and exits successfully', () => {
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/^GET \/checkout → 200\n/)
    expect(run.stdout).toContain('user_id      on every span: yes')
  })

  it('says so in exactly one line, and nothing else: no retries, no late flush warnings', () => {
    expect(run.stderr.trim().split('\n')).toEqual([
      `OTLP endpoint ${url} unreachable (connection refused): spans are not exported. ` +
        'Start Jaeger (examples/three-services/README.md) or unset OTEL_EXPORTER_OTLP_ENDPOINT.',
    ])
  })

  it('claims no export and prints no Jaeger link', () => {
    const output = run.stdout + run.stderr
    expect(output).not.toMatch(/exported \d+ spans/)
    expect(output).not.toContain('16686')
    expect(output).not.toMatch(/jaeger:/i)
  })

  it('dumps no error object', () => {
    const output = run.stdout + run.stderr
    expect(output).not.toMatch(/^\s*[{[]/m)
    expect(output).not.toContain('"stack"')
    expect(output).not.toContain('ECONNREFUSED')
  })
})
