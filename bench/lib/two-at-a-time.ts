/** Runs `jobs` two at a time (valgrind is single-threaded; the machine has two cores). */
export async function twoAtATime<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(jobs.length)
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++
      results[index] = await jobs[index]!()
    }
  }
  await Promise.all([worker(), worker()])
  return results
}

/**
 * Runs `count` for every variant of every client, two at a time, and answers the result of one
 * (client, variant) pair.
 *
 * @example
 * const of = await eachClientVariant(['fetch'], () => ['bare', 'spans-on'], (client, variant) =>
 *   countLoopback(client, variant, 'otel', shape),
 * )
 * of('fetch', 'bare').running
 */
export async function eachClientVariant<C, V, T>(
  clients: readonly C[],
  variantsOf: (client: C) => readonly V[],
  count: (client: C, variant: V) => Promise<T>,
): Promise<(client: C, variant: V) => T> {
  const pairs = clients.flatMap((client) => variantsOf(client).map((variant) => [client, variant] as const))
  const results = await twoAtATime(
    pairs.map(
      ([client, variant]) =>
        () =>
          count(client, variant),
    ),
  )
  return (client, variant) => {
    const index = pairs.findIndex(([c, v]) => c === client && v === variant)
    if (index < 0) throw new Error(`${String(client)} ${String(variant)} was not counted`)
    return results[index]!
  }
}
