// axios's http adapter exists where `process` is Node's own (its check, verbatim in effect).
const nodeProcess =
  typeof process !== 'undefined' && Object.prototype.toString.call(process) === '[object process]'
const xhrAvailable = () => typeof XMLHttpRequest !== 'undefined'

/**
 * Whether axios will send a request with this `adapter` setting through its http adapter, as its
 * `getAdapter` picks one: the first entry of the list the environment supports (`xhr` where
 * `XMLHttpRequest` exists, `http` where `process` is Node's; `null`/`false` entries are skipped).
 * Only adapter names are judged: an adapter function, `fetch`, or anything unknown answers false,
 * so a caller building the fetch adapter's fields when this is false never misses them.
 */
export function takesHttpAdapter(adapter: unknown): boolean {
  const list: readonly unknown[] = Array.isArray(adapter) ? adapter : [adapter]
  for (const entry of list) {
    if (entry === null || entry === false) continue
    if (typeof entry !== 'string') return false
    const name = entry.toLowerCase()
    if (name === 'http') return nodeProcess
    if (name !== 'xhr' || xhrAvailable()) return false
  }
  return false
}
