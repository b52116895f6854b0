// axios's http adapter exists where `process` is Node's own (its check, verbatim in effect).
const nodeProcess =
  typeof process !== 'undefined' && Object.prototype.toString.call(process) === '[object process]'
const xhrAvailable = () => typeof XMLHttpRequest !== 'undefined'

/** An adapter function given in the `adapter` setting. */
// biome-ignore lint/suspicious/noExplicitAny: any adapter function the caller gave, whatever its types.
export type AdapterFunction = (...args: any[]) => unknown

/**
 * The adapter axios will send a request with, for this `adapter` setting, as its `getAdapter`
 * picks one: the first entry of the list the environment supports (`xhr` where `XMLHttpRequest`
 * exists, `http` where `process` is Node's; `null` and `false` entries are skipped; a function is
 * used as it is). `fetch` is answered without asking whether the environment has one, and
 * undefined when the setting holds something axios would reject: a caller preparing for the
 * fetch adapter unless the answer is `http`, `xhr` or a function never misses it.
 */
export function chosenAdapter(adapter: unknown): AdapterFunction | 'http' | 'xhr' | 'fetch' | undefined {
  const list: readonly unknown[] = Array.isArray(adapter) ? adapter : [adapter]
  for (const entry of list) {
    if (entry === null || entry === false) continue
    if (typeof entry === 'function') return entry as AdapterFunction
    if (typeof entry !== 'string') return undefined
    const name = entry.toLowerCase()
    if (name === 'http') {
      if (nodeProcess) return name
    } else if (name === 'xhr') {
      if (xhrAvailable()) return name
    } else return name === 'fetch' ? name : undefined
  }
  return undefined
}
