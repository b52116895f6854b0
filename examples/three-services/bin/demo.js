#!/usr/bin/env node
// `pnpm demo` at the repository root runs this binary. It is a binary, not a root script, on
// purpose: pnpm runs a name that is not a script as a dependency's binary, and binaries run
// without the "> pkg@ demo" banner pnpm prints on stdout before every script, which would
// break `pnpm demo --json | jq`. The sources run as TypeScript through tsx, with the root
// tsconfig's paths mapping @otel-http/* to packages/*/src: no build step needed.
import { fileURLToPath } from 'node:url'
import { register } from 'tsx/esm/api'

register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) })
await import('../src/main.ts')
