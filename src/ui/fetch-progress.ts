import type {FetchProgress} from '../model/live-logs.js'

const n = (value: number) => value.toLocaleString('en-US')

/** "log group X: 12 of 24 windows, 120,345 events (8,000 events/s)". */
export function describeFetch(p: FetchProgress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? ` (${n(Math.round((p.events / elapsedMs) * 1000))} events/s)` : ''
  const cached = p.windowsCached > 0 ? `, ${n(p.windowsCached)} from the cache` : ''
  return `log group ${p.logGroup}: ${n(p.windowsDone)} of ${n(p.windows)} windows${cached}, ${n(p.events)} events${rate}`
}

/**
 * Progress of fetching log groups, on stderr: redrawn in place on a terminal (at most
 * five times a second), one line every 10 seconds elsewhere, so that a long fetch in CI
 * still shows it is moving.
 */
export class FetchProgressLine {
  private readonly started = Date.now()
  private readonly groups = new Map<string, FetchProgress>()
  private last = 0
  private drawn = false

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(progress: FetchProgress): void {
    this.groups.set(progress.logGroup, progress)
    const now = Date.now()
    const every = this.stream.isTTY ? 200 : 10_000
    if (now - this.last < every) return
    this.last = now
    const line = `Fetching ${[...this.groups.values()].map((p) => describeFetch(p, now - this.started)).join('; ')}`
    if (this.stream.isTTY) {
      this.stream.write(`\r\u001B[K${line.slice(0, (this.stream.columns || 120) - 1)}`)
      this.drawn = true
    } else this.stream.write(`${line}\n`)
  }

  /** Clears the line; returns one line per log group of what was fetched, for a closing note. */
  done(): string[] {
    if (this.drawn) this.stream.write('\r\u001B[K')
    this.drawn = false
    const elapsed = Date.now() - this.started
    return [...this.groups.values()].map((p) => `Read ${describeFetch(p, elapsed)} in ${(elapsed / 1000).toFixed(1)} s`)
  }
}
