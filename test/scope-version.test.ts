import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { instrumentAxios } from '@otel-http/axios'
import { tracedFetch } from '@otel-http/fetch'
import { traceLambdaHandler } from '@otel-http/lambda'
import { traceSend } from '@otel-http/messaging'
import { traceRequestListener } from '@otel-http/server'
import { tracingInterceptor } from '@otel-http/undici'
import axios from 'axios'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lambdaContext, loadEvent } from '../packages/lambda/test/lambda-fixtures'
import { setupTracing } from './support/tracing'

// Each package's spans name the package and the version in its package.json, read here from
// disk, not through the import the packages use, so a stale or missing version fails.
const versionOf = (pkg: string): string =>
  (
    JSON.parse(readFileSync(new URL(`../packages/${pkg}/package.json`, import.meta.url), 'utf8')) as {
      version: string
    }
  ).version

const tracing = setupTracing()
let server: Server
let url: string

beforeAll(async () => {
  server = createServer(traceRequestListener((_req, res) => res.end('ok')))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

async function scopeOf(pkg: string, run: () => Promise<unknown>) {
  tracing.reset()
  await run()
  // The server span ends when its response closes, which may come after the client saw it.
  await expect
    .poll(() => tracing.spans().some((s) => s.instrumentationScope.name === `@otel-http/${pkg}`))
    .toBe(true)
  return tracing.spans().find((s) => s.instrumentationScope.name === `@otel-http/${pkg}`)!
    .instrumentationScope
}

describe('instrumentation scope', () => {
  it.each([
    ['fetch', () => tracedFetch()(url).then((r) => r.text())],
    [
      'undici',
      () =>
        request(url, { dispatcher: new Agent().compose(tracingInterceptor()) }).then((r) => r.body.text()),
    ],
    [
      'axios',
      () => {
        const client = axios.create()
        instrumentAxios(client)
        return client.get(url)
      },
    ],
    ['server', () => fetch(url).then((r) => r.text())],
    ['messaging', () => traceSend({ system: 'kafka', destination: 'orders' }, () => {})],
    [
      'lambda',
      () =>
        traceLambdaHandler(async () => ({ statusCode: 200 }))(loadEvent('api-gateway-v2'), lambdaContext()),
    ],
  ] as const)('of @otel-http/%s carries its package.json version', async (pkg, run) => {
    expect(await scopeOf(pkg, run)).toMatchObject({ name: `@otel-http/${pkg}`, version: versionOf(pkg) })
  })
})
