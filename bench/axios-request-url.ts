/**
 * `node --import tsx bench/axios-request-url.ts`: what finding the URL of an axios request costs,
 * our copy of axios's rules (packages/axios/src/request-url.ts) against `instance.getUri(config)`,
 * on the config a request interceptor sees. Alternating rounds, medians of CPU µs per call: the
 * measurement behind keeping the copy.
 */
import axios, { type InternalAxiosRequestConfig } from 'axios'
import { requestUrl } from '../packages/axios/src/request-url'
import { median } from './lib/stats'

const instance = axios.create({ baseURL: 'http://127.0.0.1:8080', responseType: 'text' })
let seen: InternalAxiosRequestConfig | undefined
instance.interceptors.request.use(
  (config) => {
    seen = config
    throw new Error('captured')
  },
  undefined,
  { synchronous: true },
)
await instance.get('/items/42?view=full').catch(() => {})
const config = seen!
const getUri = (c: InternalAxiosRequestConfig) => instance.getUri(c)

const ways: Record<string, () => URL | undefined> = {
  'copy of axios rules': () => requestUrl(getUri, config),
  'instance.getUri': () => new URL(getUri(config)),
}

function round(way: () => URL | undefined, calls: number): number {
  const before = process.cpuUsage()
  for (let i = 0; i < calls; i++) if (way() === undefined) throw new Error('no URL')
  const cpu = process.cpuUsage(before)
  return (cpu.user + cpu.system) / calls
}

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((name) => [name, []]))
for (const way of Object.values(ways)) round(way, 20_000)
for (let rep = 0; rep < 15; rep++) {
  for (const [name, way] of Object.entries(ways)) samples[name]!.push(round(way, 20_000))
}
for (const [name, values] of Object.entries(samples))
  console.log(`${name}: ${median(values).toFixed(2)} µs per call`)
