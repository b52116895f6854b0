import net from 'node:net'

/**
 * Sends one HTTP/1.1 request as raw bytes (header values are not validated, as a hostile client
 * would not) and resolves with the whole response as text, minus the headers that differ between
 * two identical requests (`date`).
 */
export function rawRequest(port: number, head: Buffer, body = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.setTimeout(10_000, () => socket.destroy(new Error('no response within 10 s')))
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const response = Buffer.concat(chunks).toString('latin1')
      resolve(response.replace(/^date: .*\r\n/gim, ''))
    })
    socket.end(Buffer.concat([head, Buffer.from(body, 'latin1')]))
  })
}

/** The request head: `headers` as name/value byte pairs, repeats kept, in order. */
export function requestHead(
  method: string,
  target: string,
  port: number,
  headers: Array<[string, Buffer]>,
  bodyLength: number,
): Buffer {
  const lines: Buffer[] = [
    Buffer.from(`${method} ${target} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: close\r\n`),
  ]
  for (const [name, value] of headers) lines.push(Buffer.from(`${name}: `), value, Buffer.from('\r\n'))
  lines.push(Buffer.from(`content-length: ${bodyLength}\r\n\r\n`))
  return Buffer.concat(lines)
}
