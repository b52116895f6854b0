/**
 * The header-value check of #12 against the ways tried instead of it, counted alone:
 *
 *   for v in none ours joined loop anchored; do setarch "$(uname -m)" -R valgrind --tool=callgrind \
 *     --callgrind-out-file=/tmp/hc.out --zero-before=uv_getrusage --dump-before=uv_resident_set_memory \
 *     --smc-check=all-non-file node --predictable --random-seed=1 --hash-seed=1 \
 *     bench/header-check-micro.cjs $v 20000 20000 3; grep -h '^summary' /tmp/hc.out.*; done
 *
 * Each call checks the three values a request sends (a traceparent built per call, as a
 * propagator builds it, a tracestate and a baggage); a window's summary ÷ its calls is the cost of
 * one request's three checks (`none`: only building the traceparent and setting the values). `ours`
 * is the built `validatingSetter` of @otel-http/core around the same setter.
 */
const { validatingSetter } = require('../packages/core/dist/index.cjs')

const INVALID = /[^\t\x20-\x7e\x80-\xff]/
const VALID = /^[\t\x20-\x7e\x80-\xff]*$/
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
const TRACESTATE = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'
const BAGGAGE = 'user_id=alice,tenant=acme%20corp,session=abc123def456'

function loop(value) {
  if (typeof value !== 'string') return false
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 0x20 ? c !== 9 : c === 0x7f || c > 0xff) return false
  }
  return true
}

// What a propagator writes into: a record, the values set one by one.
const setter = { set: (carrier, key, value) => (carrier[key] = value) }
const validating = validatingSetter(setter)
const KEYS = ['traceparent', 'tracestate', 'baggage']

function setEach(values, set, check = () => true) {
  const carrier = {}
  for (let i = 0; i < values.length; i++) if (check(values[i])) set.set(carrier, KEYS[i], values[i])
  return Object.keys(carrier).length === values.length
}
const ways = {
  none: (values) => setEach(values, setter),
  ours: (values) => setEach(values, validating),
  anchored: (values) => setEach(values, setter, (value) => typeof value === 'string' && VALID.test(value)),
  loop: (values) => setEach(values, setter, loop),
  // One scan of the three joined by a tab (itself valid), then set.
  joined: (values) => !INVALID.test(values.join('\t')) && setEach(values, setter),
}

const [way, warmUp, calls, windows] = process.argv.slice(2)
const check = ways[way]
if (!check) throw new Error(`one of ${Object.keys(ways).join(', ')}`)
let passed = 0
function request(i) {
  const traceparent = `${TRACEPARENT.slice(0, 36)}${i % 10}${TRACEPARENT.slice(37)}`
  if (check([traceparent, TRACESTATE, BAGGAGE])) passed++
}
for (let i = 0; i < Number(warmUp); i++) request(i)
for (let w = 0; w < Number(windows); w++) {
  process.resourceUsage()
  for (let i = 0; i < Number(calls); i++) request(i)
  process.memoryUsage.rss()
}
if (passed !== Number(warmUp) + Number(windows) * Number(calls)) throw new Error('a valid value failed')
