import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, connect as netConnect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { findNginx } from './services'

/** One `server {}` block: the directives its `location /` adds before `proxy_pass`. */
export interface ProxyRoute {
  name: string
  directives: string[]
}

export interface NginxProxy {
  /** `http://127.0.0.1:<port>` of each route, by name. */
  urls: Record<string, string>
  close(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = netConnect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.end()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

/**
 * Starts a real nginx (the Debian package's binary) as a child process with a generated config
 * in a temp dir: one loopback reverse-proxy server per route, all in front of `upstream`.
 * Nothing outside the temp dir is read or written, so no system nginx service is involved.
 */
export async function startNginx(upstream: string, routes: ProxyRoute[]): Promise<NginxProxy> {
  const nginx = findNginx()
  if (!nginx) throw new Error('no nginx binary: run .ci/services to install it')
  const dir = await mkdtemp(join(tmpdir(), 'otel-http-nginx-'))
  const ports = await Promise.all(routes.map(() => freePort()))
  const servers = routes.map(
    (route, i) => `
    server {
      listen 127.0.0.1:${ports[i]};
      location / {
        ${route.directives.join('\n        ')}
        proxy_pass ${upstream};
      }
    }`,
  )
  const config = `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ${servers.join('\n')}
}
`
  const file = join(dir, 'nginx.conf')
  await writeFile(file, config)

  const child: ChildProcess = spawn(
    nginx,
    ['-p', dir, '-e', join(dir, 'error.log'), '-c', file, '-g', 'daemon off;'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  // Readiness, not timing: poll until every port answers (bounded) or nginx exits.
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`)
    if ((await Promise.all(ports.map(answers))).every(Boolean)) break
    if (attempt > 200) {
      child.kill('SIGKILL')
      const log = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')
      throw new Error(`nginx did not listen: ${stderr}${log}`)
    }
    await sleep(50)
  }

  return {
    urls: Object.fromEntries(routes.map((route, i) => [route.name, `http://127.0.0.1:${ports[i]}`])),
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await exited
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}
