import assert from 'node:assert/strict'

import {maskKeyValue, maskKeyValues} from '../../src/model/api-keys.js'
import {colorEnabled, makeStyle} from '../../src/ui/style.js'
import {GwctlError} from '../../src/model/errors.js'
import {spreadsheetCell} from '../../src/model/key-csv.js'
import {labelOf} from '../../src/model/resolve.js'
import {renderFailure} from '../../src/ui/failure.js'
import {displayWidth, renderFields, renderTable, tableLines} from '../../src/ui/table.js'
import {keysCsv} from '../../src/wizard/render.js'

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

  describe('names from the account cannot act on the terminal (issue 13)', () => {
    const CLEAR = 'evil\u001B[2J\u001B[Hname'
    it('tables and field lists show control characters as escapes, keeping their own colour', () => {
      const table = renderTable(['Name'], [[CLEAR], ['two\nlines'], ['\u202Egnp.exe']], makeStyle(true))
      assert.ok(table.includes(String.raw`evil\x1b[2J\x1b[Hname`), table)
      assert.ok(table.includes(String.raw`two\x0alines`))
      assert.ok(table.includes(String.raw`\u202egnp.exe`))
      assert.ok(!table.includes('\u001B[2J'), 'no raw escape sequence from the data')
      // eslint-disable-next-line no-control-regex -- the bold sequence is what is tested
      assert.match(table, /\u001B\[1mName/, 'the header is still bold')
      assert.equal(renderFields([['Name', CLEAR]], makeStyle(false)), String.raw`Name  evil\x1b[2J\x1b[Hname`)
    })

    it('labelOf, which every message uses to name a plan, key or API, escapes the name', () => {
      assert.equal(labelOf({id: 'k1', name: CLEAR}), String.raw`evil\x1b[2J\x1b[Hname (k1)`)
    })

    it('an error message keeps its own line breaks and escapes the rest', () => {
      const text = renderFailure(
        new GwctlError('NOT_FOUND', `No API key with id or name "${CLEAR}"\nsecond line`, {suggestions: ['try \u0007 this']}),
        makeStyle(false),
      )
      assert.equal(text, 'Error: No API key with id or name "evil\\x1b[2J\\x1b[Hname"\nsecond line\nTry: try \\x07 this')
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
    assert.equal(maskKeyValues('Line 3: key Zx8Kq2Lm4Np6Rt8Vw0Yb3Cd5 of acme_1 ignored'), 'Line 3: key Zx8K******d5 of acme_1 ignored')
  })

  it('--keys-out cells that a spreadsheet would run as a formula start with a quote (issue 13)', () => {
    for (const [cell, written] of [
      ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
      ['+1', '"\'+1"'],
      ['-2', '"\'-2"'],
      ['@SUM(A1)', '"\'@SUM(A1)"'],
      ['acme-1', 'acme-1'],
    ])
      assert.equal(spreadsheetCell(cell), written, cell)
    assert.equal(keysCsv([{id: 'k1', name: '=cmd|calc', value: 'Value0123456789abcdefgh'}]), 'Name,Key,Id\n"\'=cmd|calc",Value0123456789abcdefgh,k1\n')
  })
})

describe('ui tables', () => {
  it('aligns wide and combining characters by the columns a terminal draws, and escapes line breaks in cells', () => {
    const out = renderTable(
      ['Name', 'Note'],
      [
        ['日本', 'a\nb'],
        ['café', 'c'],
      ],
      makeStyle(false),
    )
    assert.equal(out, ['Name    Note', String.raw`日本    a\x0ab`, 'café    c'].join('\n'))
  })

  it('lays out ten thousand rows in one pass, line by line', () => {
    const rows = Array.from({length: 10_000}, (_, i) => [`k${i}`, `name-${i}`])
    const lines = [...tableLines(['ID', 'Name'], rows, makeStyle(false))]
    assert.equal(lines.length, 10_001)
    assert.equal(lines[10_000], 'k9999    name-9999')
  })

  it('displayWidth ignores colour codes', () => {
    assert.equal(displayWidth('\u001B[1mID\u001B[22m'), 2)
  })
})
