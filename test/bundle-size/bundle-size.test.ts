import { readFileSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { bundleForBrowser } from '../support/browser-bundle'

// What a browser app pays for each client adapter: a minified ESM bundle of the built package
// with `@opentelemetry/api` (and axios) left to the app, gzipped. Fails when an entry grows by
// more than 10% over the size recorded in sizes.json; after an intended change, record the new
// sizes with `UPDATE_BUNDLE_SIZES=1 npx vitest run test/bundle-size`.
const recordFile = new URL('./sizes.json', import.meta.url)
const recorded = JSON.parse(readFileSync(recordFile, 'utf8')) as Record<string, { gzipBytes: number }>
const TOLERANCE = 1.1

const entries: Record<string, string> = {
  tracedFetch: `export { tracedFetch } from '@otel-http/fetch'`,
  instrumentAxios: `export { instrumentAxios } from '@otel-http/axios'`,
}

async function gzipSize(contents: string): Promise<number> {
  const code = await bundleForBrowser(contents, {
    format: 'esm',
    minify: true,
    target: 'es2022', // evergreen browsers: class fields stay native, as users' builds keep them
    external: ['@opentelemetry/api', 'axios'],
  })
  return gzipSync(code, { level: 9 }).length
}

describe('browser bundle size (minified, gzip, @opentelemetry/api external)', () => {
  const measured: Record<string, { gzipBytes: number }> = {}

  it.each(Object.keys(entries))('%s stays within a tenth over its recorded size', async (name) => {
    const size = await gzipSize(entries[name]!)
    measured[name] = { gzipBytes: size }
    if (process.env.UPDATE_BUNDLE_SIZES) {
      writeFileSync(recordFile, `${JSON.stringify({ ...recorded, ...measured }, null, 2)}\n`)
      return
    }
    const limit = Math.floor(recorded[name]!.gzipBytes * TOLERANCE)
    expect(
      size,
      `${name} is ${size} B gzipped, over ${limit} B (recorded ${recorded[name]!.gzipBytes} B + 10%)`,
    ).toBeLessThanOrEqual(limit)
  })
})
