import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { dumpFunctions } from '../../bench/lib/callgrind-functions'
import { cheapestSplit } from '../../bench/lib/instructions'
import { bundleModules, packageOf, perfMap } from '../../bench/lib/jit-names'

const dir = mkdtempSync(join(tmpdir(), 'otel-http-attribution-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('dumpFunctions', () => {
  it('sums each function’s own cost, leaving out the inclusive cost of the calls it makes', () => {
    const dump = file(
      'callgrind.out.1',
      [
        'version: 1',
        'pid: 4242',
        'positions: line',
        'events: Ir',
        'summary: 1000',
        'ob=(1) /usr/bin/node',
        'fl=(1) ???',
        'fn=(1) Builtins_LoadIC',
        '0 100',
        '+2 50',
        'ob=(2) ???',
        'fn=(2) 0x0000000028000040',
        '0 30',
        // A name defined first as a callee, then used compressed as a caller.
        'cob=(1)',
        'cfn=(3) v8::internal::Heap::CollectGarbage(int)',
        'calls=1 0',
        '0 700',
        '* 5',
        'ob=(1)',
        'fn=(3)',
        '0 600',
        'fn=(1)',
        '-1 20',
      ].join('\n'),
    )
    const { pid, functions } = dumpFunctions(dump)
    expect(pid).toBe(4242)
    const self = Object.fromEntries(functions.map((fn) => [`${fn.object} ${fn.name}`, fn.self]))
    expect(self).toEqual({
      '/usr/bin/node Builtins_LoadIC': 170,
      '??? 0x0000000028000040': 35,
      '/usr/bin/node v8::internal::Heap::CollectGarbage(int)': 600,
    })
    const collect = functions.find((fn) => fn.name.startsWith('v8::internal::Heap'))!
    expect([...collect.callers].map(([caller, cost]) => [caller.name, cost])).toEqual([
      ['0x0000000028000040', 700],
    ])
  })
})

describe('perfMap', () => {
  it('names an address inside a range, the newest entry winning over reused code', () => {
    const lookup = perfMap(
      file(
        'perf-1.map',
        [
          '28000040 a1c JS:^normalizeString node:path:92:25',
          '28001000 100 JS:~old /b.cjs:1:1',
          '28001000 80 JS:*new /b.cjs:2:1',
        ].join('\n'),
      ),
    )
    expect(lookup(0x28000040)).toBe('JS:^normalizeString node:path:92:25')
    expect(lookup(0x28000a5b)).toBe('JS:^normalizeString node:path:92:25')
    expect(lookup(0x28001010)).toBe('JS:*new /b.cjs:2:1')
    expect(lookup(0x27ffffff)).toBeUndefined()
  })
})

describe('bundleModules and packageOf', () => {
  it('place a bundle line in the module esbuild wrote above it, and that module in its package', () => {
    const moduleAt = bundleModules(
      file(
        'bundle.cjs',
        [
          '"use strict";',
          '// node_modules/.pnpm/@opentelemetry+api@1.9.1/node_modules/@opentelemetry/api/build/esm/trace.js',
          'var a = 1;',
          '// packages/core/dist/index.js',
          'var b = 2;',
          '// ../../root/.cache/otel-http-bench/stack-sdk3/node_modules/undici/lib/core/request.js',
          'var c = 3;',
          '// bench/lib/by-hand.ts',
          'var d = 4;',
        ].join('\n'),
      ),
    )
    expect(moduleAt(1)).toBe('(bundle)')
    expect(packageOf(moduleAt(3))).toBe('@opentelemetry/api')
    expect(packageOf(moduleAt(5))).toBe('@otel-http/core')
    expect(packageOf(moduleAt(7))).toBe('undici')
    expect(packageOf(moduleAt(9))).toBe('bench')
  })
})

describe('cheapestSplit', () => {
  // Two windows: the first holds a scavenge, the second more compiling.
  const splits = [
    { total: 1_000, compile: 100, gc: 300 },
    { total: 1_100, compile: 350, gc: 0 },
  ]

  it('leaves compiling out and keeps garbage collection in, as the no-I/O counts judge', () => {
    expect(cheapestSplit(splits)).toEqual({ cheapest: 1, running: [900, 750] })
  })

  it('leaves garbage collection out too for loopback windows, whose scavenges are lumpy', () => {
    expect(cheapestSplit(splits, true)).toEqual({ cheapest: 0, running: [600, 750] })
  })
})
