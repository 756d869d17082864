import assert from 'node:assert/strict'

import {ProgressBar} from '../../src/ui/progress.js'

function fakeStream(isTTY: boolean) {
  const written: string[] = []
  return {stream: {isTTY, write: (s: string) => written.push(s)} as unknown as NodeJS.WriteStream, written}
}

describe('progress bar', () => {
  it('is drawn only when stderr is a terminal and the size is known', () => {
    assert.equal(ProgressBar.forTerminal(1000, 'Replaying', fakeStream(false).stream), undefined)
    assert.equal(ProgressBar.forTerminal(undefined, 'Replaying', fakeStream(true).stream), undefined)
    assert.ok(ProgressBar.forTerminal(1000, 'Replaying', fakeStream(true).stream))
  })

  it('draws the fraction done on one line and clears it at the end', () => {
    const {stream, written} = fakeStream(true)
    const bar = ProgressBar.forTerminal(4_000_000, 'Replaying', stream)!
    bar.update(1_000_000)
    assert.match(written[0], /^\rReplaying \[#{8}-{22}\] {2}25% of 4\.0 MB$/)
    bar.update(2_000_000) // within 200 ms of the last draw: skipped
    assert.equal(written.length, 1)
    bar.done()
    assert.equal(written[1], '\r\u001B[K')
  })
})
