import {Config, Parser} from '@oclif/core'
import assert from 'node:assert/strict'

import {diagnose} from '../../src/gateway/doctor/doctor.js'
import {FINDING_IDS} from '../../src/model/findings.js'
import {BROKEN} from '../gateway/doctor/fixtures.js'
import {ROOT} from '../helpers/cli.js'
import {shellWords} from '../helpers/shell-words.js'

describe('doctor: every fix it prints is a command line today’s gwctl accepts', () => {
  it('splits shell words as a shell would', () => {
    assert.deepEqual(shellWords(`gwctl a 'b c' "d'e" f'g'h`), ['gwctl', 'a', 'b c', "d'e", 'fgh'])
  })

  it('parses each gwctl command of every finding kind with the command’s own flags', async function () {
    this.timeout(60_000)
    const config = await Config.load(ROOT)
    const lines = FINDING_IDS.flatMap((id) => diagnose(BROKEN[id]()).flatMap((f) => f.fixes.map((fix) => ({id: f.id, line: fix.command}))))
    const gwctlLines = lines.filter((l) => l.line.startsWith('gwctl '))
    assert.ok(gwctlLines.length >= 30, `only ${gwctlLines.length} gwctl commands`)
    const seen = new Set<string>()
    for (const {id, line} of gwctlLines) {
      const words = shellWords(line).slice(1)
      // The longest run of words that names a command: "stages attach", "deploy".
      let commandId: string | undefined
      for (let n = Math.min(2, words.length); n > 0 && !commandId; n--)
        if (config.findCommand(words.slice(0, n).join(':'))) commandId = words.slice(0, n).join(':')
      assert.ok(commandId, `${id}: no gwctl command in "${line}"`)
      seen.add(commandId)
      const command = await config.findCommand(commandId)!.load()
      const argv = words.slice(commandId.split(':').length)
      await assert.doesNotReject(
        Parser.parse(argv, {flags: {...command.baseFlags, ...command.flags}, args: command.args, strict: command.strict}),
        `${id}: "${line}" does not parse`,
      )
    }

    // The fixes reach for most of the admin surface: a sign the table above was walked.
    assert.ok(seen.size >= 10, [...seen].join(', '))
    // And the check can fail: a misspelt flag, a missing required one.
    const attach = await config.findCommand('keys:attach')!.load()
    await assert.rejects(Parser.parse(['k1', '--plans', 'p1'], {flags: {...attach.baseFlags, ...attach.flags}, args: attach.args, strict: attach.strict}))
    await assert.rejects(Parser.parse(['k1'], {flags: {...attach.baseFlags, ...attach.flags}, args: attach.args, strict: attach.strict}))
  })

  it('prints the AWS CLI only where gwctl has no command, and only AWS CLI commands that exist', () => {
    const lines = FINDING_IDS.flatMap((id) => diagnose(BROKEN[id]()).flatMap((f) => f.fixes.map((fix) => fix.command)))
    const others = [...new Set(lines.filter((l) => !l.startsWith('gwctl ')).map((l) => shellWords(l).slice(0, 3).join(' ')))].toSorted()
    assert.deepEqual(others, [
      'aws apigateway update-account',
      'aws apigateway update-method',
      'aws apigateway update-stage',
      'aws service-quotas request-service-quota-increase',
    ])
  })
})
