import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'

import {describeLines, parseKeyCsv, toExportCsv, toImportCsv} from '../../src/model/key-csv.js'

const fixture = (name: string) => readFileSync(new URL(`../fixtures/keys/${name}`, import.meta.url), 'utf8')
const plans = [
  {id: 'n371pt', name: 'gold'},
  {id: 'q9w8e7', name: 'silver'},
  {id: 'x1', name: 'twin'},
  {id: 'x2', name: 'twin'},
]
const problemsOf = (name: string) => parseKeyCsv(fixture(name), {plans}).problems

/** The problems of a file, as one text. */
const messages = (csv: string) =>
  parseKeyCsv(csv, {plans})
    .problems.map((p) => p.message)
    .join('\n')

describe('parseKeyCsv', () => {
  it("reads AWS's own sample: padded headers and cells, mixed-case booleans, an empty description", () => {
    const {rows, problems} = parseKeyCsv(fixture('aws-sample.csv'), {plans})
    assert.deepEqual(problems, [])
    assert.deepEqual(rows, [
      {
        line: 2,
        name: 'importedKey_1',
        value: 'abcdef1234ghijklmnop8901234567',
        description: 'firstone',
        enabled: true,
        usagePlanIds: ['n371pt'],
        customerId: '',
      },
      {
        line: 3,
        name: 'importedKey_2',
        value: 'abcdef1234ghijklmnop0123456789',
        description: 'secondone',
        enabled: true,
        usagePlanIds: ['n371pt'],
        customerId: '',
      },
      {line: 4, name: 'importedKey_3', value: 'abcdef1234ghijklmnop9012345678', description: '', enabled: true, usagePlanIds: ['n371pt'], customerId: ''},
    ])
  })

  it('reads a BOM, CRLF, any column order, unknown columns, quoted cells with commas, quotes and newlines, and several plan ids', () => {
    const {rows, problems} = parseKeyCsv(fixture('bom-crlf-quoted.csv'), {plans})
    assert.deepEqual(problems, [])
    assert.deepEqual(rows, [
      {
        line: 2,
        name: 'acme',
        value: 'Acme0000000000000000000001',
        description: 'Acme, Inc. "prod"',
        enabled: false,
        usagePlanIds: ['n371pt', 'q9w8e7'],
        customerId: '',
      },
      {line: 3, name: 'beta', value: 'Beta0000000000000000000002', description: 'two\r\nlines', enabled: true, usagePlanIds: [], customerId: ''},
      {line: 6, name: 'gamma', value: 'Gamma000000000000000000003', description: '', enabled: true, usagePlanIds: ['q9w8e7'], customerId: ''},
    ])
  })

  const cases: Array<[string, Array<{line: number; message: RegExp}>]> = [
    ['missing-name-column.csv', [{line: 1, message: /the header has no Name column \(found: Key, Description\)/}]],
    ['missing-key-column.csv', [{line: 1, message: /the header has no Key column/}]],
    ['key-too-short.csv', [{line: 2, message: /Key must be 20 to 128 letters and digits; it has 8 characters/}]],
    ['key-too-long.csv', [{line: 2, message: /it has 129 characters/}]],
    ['key-not-alphanumeric.csv', [{line: 2, message: /Key must be letters and digits only; it contains "-"/}]],
    ['duplicate-value.csv', [{line: 4, message: /Key repeats the value on line 2/}]],
    ['bad-enabled.csv', [{line: 2, message: /Enabled must be true, false or empty \(any case\); got "yes"/}]],
    ['unknown-plan.csv', [{line: 2, message: /UsagePlanIds names usage plan "nosuch", which does not exist \(no plan has that id or name\)/}]],
    ['unclosed-quote.csv', [{line: 2, message: /a double quote opened here is never closed/}]],
    ['header-only.csv', [{line: 1, message: /a header but no keys/}]],
    ['text-after-quote.csv', [{line: 2, message: /text "Inc" follows a closing quote; quote the whole cell/}]],
  ]
  for (const [file, expected] of cases) {
    it(`reports ${file.replace('.csv', '').replaceAll('-', ' ')} with its line`, () => {
      const problems = problemsOf(file)
      assert.equal(problems.length, expected.length, JSON.stringify(problems))
      for (const [i, e] of expected.entries()) {
        assert.equal(problems[i].line, e.line)
        assert.match(problems[i].message, e.message)
      }
    })
  }

  describe('never repeats what may be a key value (issue 13)', () => {
    const SECRET = 'Zx8Kq2Lm4Np6Rt8Vw0Yb3Cd5SECRET1'

    it('a file without a header: the first row is listed as the header, its value masked', () => {
      const text = messages(`acme,${SECRET}\nglobex,${SECRET}2\n`)
      assert.match(text, /the header has no Name column \(found: acme, Zx8K\*{6}T1\)/)
      assert.ok(!text.includes(SECRET), text)
    })

    it('an unquoted comma in a name moves the value into Enabled or UsagePlanIds: masked there too', () => {
      const shifted = messages(`Name,Key,Enabled\nAcme, Inc.,${SECRET}\n`)
      assert.ok(!shifted.includes(SECRET), shifted)
      assert.match(shifted, /Enabled must be true, false or empty \(any case\); got "Zx8K\*{6}T1"/)
      const plans = messages(`Name,Key,UsagePlanIds\nAcme,Other0123456789abcdefgh,${SECRET}\n`)
      assert.match(plans, /UsagePlanIds names usage plan "Zx8K\*{6}T1", which does not exist/)
    })

    it('text after a closing quote is masked when it could be a key value', () => {
      const text = messages(`Name,Key\n"acme"${SECRET},Other0123456789abcdefgh\n`)
      assert.match(text, /text "Zx8K\*{6}T1" follows a closing quote/)
      assert.ok(!text.includes(SECRET))
    })

    it('short cells, which cannot be key values, are repeated as they are', () => {
      assert.match(messages('Name,Key,Enabled\nacme,Other0123456789abcdefgh,yes\n'), /got "yes"/)
    })
  })

  it('reports every problem of a file, in line order, and keeps only clean rows', () => {
    const {rows, problems} = parseKeyCsv(fixture('many-problems.csv'), {plans})
    assert.deepEqual(
      problems.map((p) => `${p.line}: ${p.message}`),
      [
        '2: Name is empty',
        '3: Key must be 20 to 128 letters and digits; it has 5 characters',
        '3: Enabled must be true, false or empty (any case); got "maybe"',
        '3: UsagePlanIds names usage plan "nosuch", which does not exist (no plan has that id or name)',
        '4: Key repeats the value on line 2',
        '5: Key is empty',
      ],
    )
    assert.deepEqual(rows, [])
  })

  it('never repeats a key value in a message', () => {
    for (const p of problemsOf('key-not-alphanumeric.csv')) assert.doesNotMatch(p.message, /abcdef1234/)
  })

  it('takes plan names in UsagePlanIds as every flag does, giving their ids; an ambiguous name is a problem', () => {
    const {rows, problems} = parseKeyCsv(
      'Name,Key,UsagePlanIds,CustomerId\na,Acme0000000000000000000001,"gold, q9w8e7",c-1\nb,Acme0000000000000000000002,twin,\n',
      {plans},
    )
    assert.deepEqual(
      rows.map((r) => [r.usagePlanIds, r.customerId]),
      [[['n371pt', 'q9w8e7'], 'c-1']],
    )
    assert.deepEqual(problems, [{line: 3, message: 'UsagePlanIds names "twin", which 2 usage plans are named (x1, x2); give the id'}])
  })

  it('does not check plan ids when no list of plans is given', () => {
    assert.deepEqual(parseKeyCsv(fixture('unknown-plan.csv')).problems, [])
  })

  it('reports an empty file', () => {
    assert.match(parseKeyCsv('').problems[0].message, /the file is empty/)
  })
})

describe('toImportCsv', () => {
  it('writes a normalised header and quotes only cells that need it, and reads back the same rows', () => {
    const {rows} = parseKeyCsv(fixture('bom-crlf-quoted.csv'), {plans})
    const csv = toImportCsv(rows)
    assert.equal(
      csv,
      'Name,Key,Description,Enabled,UsagePlanIds\n' +
        'acme,Acme0000000000000000000001,"Acme, Inc. ""prod""",false,"n371pt,q9w8e7"\n' +
        'beta,Beta0000000000000000000002,"two\r\nlines",true,\n' +
        'gamma,Gamma000000000000000000003,,true,q9w8e7\n',
    )
    assert.deepEqual(
      parseKeyCsv(csv).rows.map((row) => ({...row, line: 0})),
      rows.map((row) => ({...row, line: 0})),
    )
  })
})

describe('toExportCsv', () => {
  it("writes AWS's import columns and CustomerId, which parseKeyCsv reads back", () => {
    const csv = toExportCsv([
      {name: 'acme, inc', value: 'Acme0000000000000000000001', description: 'says "hi"', enabled: false, usagePlans: ['gold', 'q9w8e7'], customerId: 'c-1'},
      {name: 'beta', value: 'Beta0000000000000000000002', description: '', enabled: true, usagePlans: [], customerId: ''},
    ])
    assert.equal(
      csv,
      'Name,Key,Description,Enabled,UsagePlanIds,CustomerId\n' +
        '"acme, inc",Acme0000000000000000000001,"says ""hi""",false,"gold,q9w8e7",c-1\n' +
        'beta,Beta0000000000000000000002,,true,,\n',
    )
    const {rows, problems} = parseKeyCsv(csv, {plans})
    assert.deepEqual(problems, [])
    assert.deepEqual(
      rows.map((row) => ({...row, line: 0})),
      [
        {
          line: 0,
          name: 'acme, inc',
          value: 'Acme0000000000000000000001',
          description: 'says "hi"',
          enabled: false,
          usagePlanIds: ['n371pt', 'q9w8e7'],
          customerId: 'c-1',
        },
        {line: 0, name: 'beta', value: 'Beta0000000000000000000002', description: '', enabled: true, usagePlanIds: [], customerId: ''},
      ],
    )
  })

  it('leaves Key empty without values, which the import then refuses line by line', () => {
    const csv = toExportCsv([{name: 'acme', value: '', description: '', enabled: true, usagePlans: [], customerId: ''}])
    assert.deepEqual(parseKeyCsv(csv).problems, [{line: 2, message: 'Key is empty'}])
  })
})

describe('describeLines', () => {
  it('folds runs of lines', () => {
    assert.equal(describeLines([7]), 'line 7')
    assert.equal(describeLines([2, 3, 4, 9, 11, 12]), 'lines 2-4, 9, 11-12')
  })
})
