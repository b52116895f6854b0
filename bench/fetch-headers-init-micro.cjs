/**
 * What fetch's `Request` costs to take two trace headers, per form of `init.headers` (a record, a
 * `Headers` built with `set` or `append`, an array of pairs), against none (README section 19):
 *
 *   node bench/fetch-headers-init-micro.cjs [iterations]    # with each Node
 *
 * Every form goes through webidl's conversion and `fill`; the question was whether one skips it.
 * Fastest and median of five rounds, ns a Request; timed, so read only large differences.
 */
const url = 'http://127.0.0.1:8080/items/42?view=full'
// A new span id per call, as a propagator writes it.
const traceparent = () =>
  `00-0af7651916cd43dd8448eb211c80319c-${Math.floor(Math.random() * 1e15)
    .toString(16)
    .padStart(16, '0')}-01`
const baggage = 'user_id=alice,tenant=acme%20corp,session=abc123def456'

const forms = {
  none: () => new Request(url),
  record: () => new Request(url, { headers: { traceparent: traceparent(), baggage } }),
  'Headers (set)': () => {
    const headers = new Headers()
    headers.set('traceparent', traceparent())
    headers.set('baggage', baggage)
    return new Request(url, { headers })
  },
  'Headers (append)': () => {
    const headers = new Headers()
    headers.append('traceparent', traceparent())
    headers.append('baggage', baggage)
    return new Request(url, { headers })
  },
  pairs: () =>
    new Request(url, {
      headers: [
        ['traceparent', traceparent()],
        ['baggage', baggage],
      ],
    }),
}

const iterations = Number(process.argv[2] ?? 50000)
const rounds = {}
for (let round = 0; round < 5; round++) {
  for (const [name, make] of Object.entries(forms)) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < iterations; i++) make()
    const ns = Number(process.hrtime.bigint() - start) / iterations
    rounds[name] = [...(rounds[name] ?? []), ns]
  }
}
for (const [name, times] of Object.entries(rounds)) {
  times.sort((a, b) => a - b)
  console.log(
    `${process.version} ${name.padEnd(18)} ${times[0].toFixed(0)} ns fastest, ${times[2].toFixed(0)} median`,
  )
}
