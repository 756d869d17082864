/**
 * A gate that lets at most `limit` tasks run at once; the others wait their turn in
 * order. Wrap single AWS calls in it, never a task that itself waits at the same
 * gate (it would hold a place while waiting for one).
 */
export function concurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0
  const waiting: Array<() => void> = []
  // A finished task hands its place straight to the next in line, so that no newcomer slips in between.
  const release = () => {
    const next = waiting.shift()
    if (next) next()
    else running--
  }

  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < limit) running++
    else await new Promise<void>((resolve) => waiting.push(resolve))
    try {
      return await task()
    } finally {
      release()
    }
  }
}
