/**
 * Runs producers concurrently and yields what they produce in their order: everything of
 * the first, then of the second, and so on. At most `concurrency` run at once; each may
 * run ahead of the reader by `ahead` items and then waits, so memory holds at most
 * concurrency x ahead items however long the producers are. Stopping early (or an error)
 * stops every producer that is running.
 */
export async function* inOrder<T>(producers: Array<(signal: AbortSignal) => AsyncIterable<T>>, concurrency: number, ahead = 2): AsyncGenerator<T> {
  const controller = new AbortController()
  const running: Array<Channel<T>> = []
  let next = 0
  const startNext = () => {
    if (next < producers.length) running.push(Channel.fill(producers[next++](controller.signal), ahead))
  }

  try {
    while (running.length < concurrency && next < producers.length) startNext()
    while (running.length > 0) {
      const head = running[0]
      for (;;) {
        const item = await head.take()
        if (item.done) break
        yield item.value
      }

      running.shift()
      startNext()
    }
  } finally {
    controller.abort()
    for (const channel of running) channel.close()
  }
}

/** A bounded queue filled from an async iterable: the filler waits while `capacity` items are unread. */
class Channel<T> {
  private readonly items: T[] = []
  private finished = false
  private failure: {error: unknown} | undefined
  private closed = false
  private wakeReader?: () => void
  private wakeWriter?: () => void

  private constructor(private readonly capacity: number) {}

  static fill<T>(source: AsyncIterable<T>, capacity: number): Channel<T> {
    const channel = new Channel<T>(capacity)
    void channel.pump(source)
    return channel
  }

  async take(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.items.length > 0) {
        const value = this.items.shift()!
        this.wakeWriter?.()
        return {done: false, value}
      }

      if (this.failure) throw this.failure.error
      if (this.finished) return {done: true, value: undefined}
      await new Promise<void>((resolve) => (this.wakeReader = resolve))
      this.wakeReader = undefined
    }
  }

  close(): void {
    this.closed = true
    this.wakeWriter?.()
  }

  private async pump(source: AsyncIterable<T>): Promise<void> {
    const iterator = source[Symbol.asyncIterator]()
    try {
      for (;;) {
        while (this.items.length >= this.capacity && !this.closed) {
          await new Promise<void>((resolve) => (this.wakeWriter = resolve))
          this.wakeWriter = undefined
        }

        if (this.closed) break
        const next = await iterator.next()
        if (next.done) break
        this.items.push(next.value)
        this.wakeReader?.()
      }
    } catch (error) {
      this.failure = {error}
    } finally {
      this.finished = true
      this.wakeReader?.()
      if (this.closed) await iterator.return?.()
    }
  }
}
