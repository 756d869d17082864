import assert from 'node:assert/strict'

import {maskKeyValue} from '../../src/ui/mask.js'
import {colorEnabled, makeStyle} from '../../src/ui/style.js'
import {renderFields, renderTable} from '../../src/ui/table.js'

describe('ui output', () => {
  describe('colorEnabled', () => {
    const tty = {isTTY: true} as NodeJS.WriteStream
    const pipe = {isTTY: false} as NodeJS.WriteStream

    it('colours a terminal, not a pipe', () => {
      assert.equal(colorEnabled(tty, {}), true)
      assert.equal(colorEnabled(pipe, {}), false)
    })
    it('turns colour off with NO_COLOR or TERM=dumb, and on with FORCE_COLOR', () => {
      assert.equal(colorEnabled(tty, {NO_COLOR: '1'}), false)
      assert.equal(colorEnabled(tty, {TERM: 'dumb'}), false)
      assert.equal(colorEnabled(pipe, {FORCE_COLOR: '1'}), true)
      assert.equal(colorEnabled(tty, {FORCE_COLOR: '0', NO_COLOR: '1'}), false)
      assert.equal(colorEnabled(tty, {NO_COLOR: ''}), true)
    })
  })

  describe('renderTable', () => {
    it('prints a header and aligned rows, "-" for missing cells, no ANSI codes without colour', () => {
      const out = renderTable(
        ['ID', 'Name', 'Rate'],
        [
          ['p1', 'gold', 10],
          ['p22', undefined, ''],
        ],
        makeStyle(false),
      )
      assert.equal(out, ['ID     Name    Rate', 'p1     gold    10', 'p22    -       -'].join('\n'))
    })
    it('makes the header bold when colour is on', () => {
      // eslint-disable-next-line no-control-regex -- the bold on and off sequences are what is tested
      assert.match(renderTable(['ID'], [['p1']], makeStyle(true)), /\u001B\[1mID\u001B\[22m/)
    })
  })

  it('renderFields aligns names and shows "-" for empty values', () => {
    assert.equal(
      renderFields(
        [
          ['ID', 'p1'],
          ['Description', ''],
        ],
        makeStyle(false),
      ),
      'ID           p1\nDescription  -',
    )
  })

  it('maskKeyValue keeps four characters in front and two behind, and hides short values entirely', () => {
    assert.equal(maskKeyValue('abcdefghijklmnopqrstuvwxyz'), 'abcd******yz')
    assert.equal(maskKeyValue('short'), '*****')
    assert.equal(maskKeyValue(undefined), undefined)
  })
})
