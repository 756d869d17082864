import assert from 'node:assert/strict'

import {diagnose, reportOf} from '../../src/gateway/doctor/doctor.js'
import {makeStyle} from '../../src/ui/style.js'
import {renderDoctorReport, renderFixPlan} from '../../src/ui/doctor.js'
import {BROKEN, healthyAccount} from '../gateway/doctor/fixtures.js'

const plain = makeStyle(false)

describe('doctor report rendering', () => {
  it('prints each finding with what it affects, why, and its fixes, marking those --fix applies', () => {
    const text = renderDoctorReport(reportOf(BROKEN.OPTIONS_REQUIRES_KEY()), plain, {canFix: 2})
    assert.equal(
      text,
      [
        'Checked 1 REST API, 1 stage, 4 methods, 1 usage plan and 1 API key in us-east-1.',
        '',
        'ERROR  OPTIONS_REQUIRES_KEY  API pets (a1) · stage prod',
        "  Stage prod of API pets (a1) requires an API key on OPTIONS /pets, so browsers' CORS preflights get 403.",
        '  Why: Browsers send the CORS preflight (OPTIONS) without an API key, so the preflight gets 403 Forbidden and the browser blocks the call itself.',
        '  Fix:',
        '    - Stop requiring an API key on OPTIONS /pets of API pets (a1) first, so that the deployment does not publish that (gwctl doctor --fix does this)',
        '      gwctl methods require-key --api a1 --path /pets --method OPTIONS --off',
        '    - Deploy API pets (a1) to stage prod, which publishes OPTIONS /pets without a key (gwctl doctor --fix does this)',
        '      gwctl deploy --api a1 --stage prod',
        '',
        '1 error, 0 warnings, 0 notes',
        'gwctl doctor --fix applies 2 safe fixes marked above, after showing them.',
      ].join('\n'),
    )
  })

  it('prints 20 findings of one id and counts the rest', () => {
    const data = healthyAccount()
    for (let i = 0; i < 25; i++) data.keys.push({id: `s${i}`, name: `stray-${i}`, enabled: true})
    const text = renderDoctorReport(reportOf(data), plain)
    assert.equal(text.match(/^WARNING {2}KEY_IN_NO_PLAN/gm)?.length, 20)
    assert.match(text, /\.\.\. and 5 more KEY_IN_NO_PLAN findings \(gwctl doctor --json lists them all\)\n\n0 errors, 25 warnings, 0 notes$/)
  })

  it('says so when there is nothing to report', () => {
    assert.match(renderDoctorReport(reportOf(healthyAccount()), plain), /\n\nNo findings: 0 errors, 0 warnings, 0 notes$/)
  })

  it('lists the changes --fix will make, numbered, with their commands', () => {
    const fixes = diagnose(BROKEN.KEY_REQUIRED_NOT_DEPLOYED()).flatMap((f) => f.fixes)
    assert.equal(
      renderFixPlan(fixes, plain),
      'gwctl doctor --fix will make 1 change, in this order:\n  1. Deploy API pets (a1) to stage prod, which publishes POST /pets requiring a key\n     gwctl deploy --api a1 --stage prod',
    )
  })
})
