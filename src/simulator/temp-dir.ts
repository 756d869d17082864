import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * A private temporary directory, made on first use and removed by `remove()`, or
 * when the process exits or is interrupted (Ctrl-C) before that: sorted runs and
 * copies of stdin never outlive the replay.
 */
export class TempDir {
  private path?: string
  private readonly onExit = () => this.remove()
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.remove()
    // Then die of the signal as the process would have without this handler.
    process.kill(process.pid, signal)
  }

  constructor(private readonly parent = tmpdir()) {}

  get(): string {
    if (this.path === undefined) {
      this.path = mkdtempSync(join(this.parent, 'gwctl-replay-'))
      process.once('exit', this.onExit)
      for (const signal of SIGNALS) process.once(signal, this.onSignal)
    }

    return this.path
  }

  file(name: string): string {
    return join(this.get(), name)
  }

  remove(): void {
    if (this.path === undefined) return
    rmSync(this.path, {recursive: true, force: true})
    this.path = undefined
    process.removeListener('exit', this.onExit)
    for (const signal of SIGNALS) process.removeListener(signal, this.onSignal)
  }
}
