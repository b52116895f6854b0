import { existsSync } from 'node:fs'
import { connect } from 'node:net'
import { delimiter, join } from 'node:path'
import type { TestProject } from 'vitest/node'

// Which of the services `pnpm test:integration` needs this machine has. The tests of a missing
// one are skipped with one line saying what to run; under CI they fail instead, since a green
// run there must mean the tests ran.

/** The RabbitMQ the AMQP tests use (guest/guest). */
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'
/** The nats-server the NATS tests use. */
export const NATS_SERVER = process.env.NATS_URL ?? '127.0.0.1:4222'

/** The nginx binary: the Debian package's, or the first on PATH. Undefined when there is none. */
export function findNginx(): string | undefined {
  const dirs = ['/usr/sbin', '/usr/local/sbin', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)]
  return dirs.map((dir) => join(dir, 'nginx')).find((path) => existsSync(path))
}

export interface Services {
  nginx: boolean
  rabbitmq: boolean
  nats: boolean
}

declare module 'vitest' {
  export interface ProvidedContext {
    services: Services
  }
}

const answers = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, host)
    socket.setTimeout(2000, () => socket.destroy(new Error('timeout')))
    socket.once('connect', () => {
      socket.end()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

const hostPort = (url: string, defaultPort: number): [string, number] => {
  const { hostname, port } = new URL(url.includes('://') ? url : `tcp://${url}`)
  return [hostname, Number(port || defaultPort)]
}

export default async function setup(project: TestProject): Promise<void> {
  const [amqpHost, amqpPort] = hostPort(AMQP_URL, 5672)
  const [natsHost, natsPort] = hostPort(NATS_SERVER, 4222)
  const services: Services = {
    nginx: findNginx() !== undefined,
    rabbitmq: await answers(amqpHost, amqpPort),
    nats: await answers(natsHost, natsPort),
  }
  project.provide('services', services)

  const missing = [
    services.nginx ? '' : 'the nginx proxy tests (no nginx binary)',
    services.rabbitmq ? '' : `the AMQP tests (no RabbitMQ on ${amqpHost}:${amqpPort})`,
    services.nats ? '' : `the NATS tests (no nats-server on ${natsHost}:${natsPort})`,
  ].filter(Boolean)
  if (missing.length === 0) return
  const line = `${missing.join(', ')}: run .ci/services first, which installs and starts what is missing (apt-get; needs root or sudo)`
  if (process.env.CI) {
    const error = new Error(`test:integration cannot run ${line}`)
    error.stack = error.message // the line is the whole story; a stack into vitest is noise
    throw error
  }
  console.warn(`test:integration: skipping ${line}`)
}
