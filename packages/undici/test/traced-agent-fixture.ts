import { afterAll, beforeAll } from 'vitest'
import { type LoopbackServer, startLoopbackServer } from '../../../test/support/loopback-server'

/**
 * For the tests of one file: a loopback server and an Agent, the Agent composed with the tracing
 * interceptor by `compose`; started before the file's tests, closed after them.
 */
export function tracedAgentFixture<A extends { close(): Promise<unknown> }, D>(
  createAgent: () => A,
  compose: (agent: A) => D,
) {
  const fixture = {} as { server: LoopbackServer; agent: A; traced: D }
  beforeAll(async () => {
    fixture.server = await startLoopbackServer()
    fixture.agent = createAgent()
    fixture.traced = compose(fixture.agent)
  })
  afterAll(async () => {
    await fixture.agent.close()
    await fixture.server.close()
  })
  return fixture
}
