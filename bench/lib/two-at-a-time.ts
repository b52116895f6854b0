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
