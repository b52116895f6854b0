// undici's core request (no types of its own): the validation a Client applies to every dispatch.
declare module 'undici/lib/core/request.js' {
  export default class Request {
    constructor(origin: unknown, opts: unknown, handler: unknown)
  }
}
