/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (never in
 * pipes, CI logs or tests), redrawn at most five times a second.
 */
export class ProgressBar {
  private lastDraw = 0
  private drawn = false

  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  static forTerminal(total: number | undefined, label: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar | undefined {
    return stream.isTTY && total !== undefined && total > 0 ? new ProgressBar(total, label, stream) : undefined
  }

  update(done: number): void {
    const now = Date.now()
    if (now - this.lastDraw < 200) return
    this.lastDraw = now
    const fraction = Math.min(1, done / this.total)
    const width = 30
    const filled = Math.round(fraction * width)
    this.stream.write(
      `\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% of ${(this.total / 1e6).toFixed(1)} MB`,
    )
    this.drawn = true
  }

  done(): void {
    if (this.drawn) this.stream.write('\r\u001B[K')
  }
}
