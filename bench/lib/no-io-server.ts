/**
 * A server request without a socket, for the counted process (instruction-count.ts): node's own
 * `IncomingMessage` and `ServerResponse`, the headers the load generator sends, a handler that
 * writes the same small JSON body to a stream that accepts it at once, and the response's `close`
 * emitted once it ended, as the server would. What differs between the variants is only what wraps the handler.
 */
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { Writable } from 'node:stream'
import { expressTracing, koaTracing, traceRequestListener } from '@otel-http/server'
import { serverSpanByHand, serverSpanByHandWithSemconv } from './by-hand'

export const SERVER_VARIANTS = ['bare', 'by-hand', 'by-hand-semconv', 'listener', 'express', 'koa'] as const
export type ServerVariant = (typeof SERVER_VARIANTS)[number]

type Listener = (req: IncomingMessage, res: ServerResponse) => void

/** What the load generator sends: host, user agent, a sampled parent and three baggage entries. */
export const HEADERS: Record<string, string> = {
  host: '127.0.0.1:8080',
  'user-agent': 'undici',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  baggage: 'user.id=4242,tenant.id=acme,feature.flag=checkout-v2',
}
const body = Buffer.from('{"id":42,"name":"widget"}')
const socket = new Socket()
// What the response writes to: accepted at once, so the response is finished when it ends.
const sink = new Writable({ write: (_chunk, _encoding, done) => done(), writev: (_chunks, done) => done() })

function handler(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
  res.end(body)
}

// The two middleware run as their framework would call them, without the framework: Express
// with `originalUrl` set and `next` the route; Koa with a context holding `req`, `res` and
// `originalUrl`, and `next` the route.
function asExpress(): Listener {
  const middleware = expressTracing()
  return (req, res) => {
    const expressReq = req as IncomingMessage & { originalUrl?: string }
    expressReq.originalUrl = req.url
    middleware(expressReq as never, res as never, () => handler(req, res))
  }
}

function asKoa(): Listener {
  const middleware = koaTracing()
  return (req, res) => {
    const ctx = { req, res, originalUrl: req.url }
    void middleware(ctx as never, async () => handler(req, res))
  }
}

const listeners: Record<ServerVariant, () => Listener> = {
  bare: () => handler,
  'by-hand': () => (req, res) => serverSpanByHand(req, res, () => handler(req, res)),
  'by-hand-semconv': () => (req, res) => serverSpanByHandWithSemconv(req, res, () => handler(req, res)),
  listener: () => traceRequestListener(handler),
  express: asExpress,
  koa: asKoa,
}

/**
 * One request through `variant`, ended and closed before the returned promise settles (Koa's
 * middleware returns one; the others end synchronously).
 *
 * @example
 * const request = serverRequest('listener')
 * await request()
 */
export function serverRequest(variant: ServerVariant): () => Promise<void> {
  const listener = listeners[variant]()
  return async () => {
    const req = new IncomingMessage(socket)
    req.method = 'GET'
    req.url = '/items/42'
    req.httpVersion = '1.1'
    req.headers = { ...HEADERS }
    const res = new ServerResponse(req)
    res.assignSocket(sink as Socket)
    listener(req, res)
    // A turn of the event loop, as between a response's end and its close: what Node queued on
    // the way (the uncork, the write callbacks, 'finish') runs, and the request's objects can die.
    await new Promise((resolve) => setImmediate(resolve))
    res.detachSocket(sink as Socket)
    res.emit('close')
  }
}
