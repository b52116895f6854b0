import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A server the demo started, and how to stop it. */
export interface Running {
  /** `http://127.0.0.1:<port>` */
  url: string
  close(): Promise<void>
}

/** Listens on a loopback port the OS picks, so the demo never collides with anything running. */
export async function listen(server: Server): Promise<Running> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        // Keep-alive sockets from the clients would otherwise hold the process open.
        server.closeAllConnections()
      }),
  }
}
