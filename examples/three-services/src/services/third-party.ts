import { createServer } from 'node:http'
import { listen, type Running } from '../listen'

/** A stand-in for someone else's API: not ours, so it must not learn our trace ids or Baggage. */
export interface ThirdParty extends Running {
  /** Header names of every request it received, in order. */
  readonly received: string[][]
}

/**
 * A fraud-scoring API run by another company, here on a loopback port. It is deliberately not
 * traced, and it answers with the header names it saw, the way httpbin's `/anything` does.
 */
export async function startThirdParty(): Promise<ThirdParty> {
  const received: string[][] = []
  const server = createServer((req, res) => {
    const names = Object.keys(req.headers).sort()
    received.push(names)
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ score: 0.02, receivedHeaders: names }))
    })
  })
  return { ...(await listen(server)), received }
}
