import assert from 'node:assert/strict'

import {commandArgv, commandLine, optional, placeholder} from '../../src/model/command-line.js'
import {GWCTL_COMMANDS} from '../../src/model/gwctl-commands.js'

describe('model/command-line', () => {
  it("puts arguments first, in the command's order, then flags in the order given", () => {
    assert.equal(commandLine('keys attach', {plan: 'gold', key: 'k1'}), 'gwctl keys attach k1 --plan gold')
    assert.deepEqual(commandArgv('stages detach', {plan: 'p1', api: 'a1', stage: 'prod'}), [
      'stages',
      'detach',
      '--plan',
      'p1',
      '--api',
      'a1',
      '--stage',
      'prod',
    ])
  })

  it('writes true booleans as bare flags, leaves false and undefined out, and repeats repeatable flags', () => {
    assert.equal(
      commandLine('deploy', {api: 'a1', stage: 'prod', description: undefined, 'create-stage': true}),
      'gwctl deploy --api a1 --stage prod --create-stage',
    )
    assert.equal(
      commandLine('methods require-key', {api: 'a1', method: ['GET', 'POST'], off: false}),
      'gwctl methods require-key --api a1 --method GET --method POST',
    )
    assert.equal(commandLine('plans update', {plan: 'p1', rate: 2.5, burst: 5}), 'gwctl plans update p1 --rate 2.5 --burst 5')
  })

  it('quotes values for a POSIX shell only when they need it', () => {
    assert.equal(commandLine('keys create', {name: "bob's key", plan: ['gold']}), String.raw`gwctl keys create --name 'bob'\''s key' --plan gold`)
    assert.equal(commandLine('methods require-key', {api: 'a1', path: '/pets/{id}'}), "gwctl methods require-key --api a1 --path '/pets/{id}'")
    assert.deepEqual(commandArgv('keys create', {name: "bob's key"}), ['keys', 'create', '--name', "bob's key"])
  })

  it('prints placeholders as they are, and optional flags in brackets', () => {
    assert.equal(
      commandLine('api set-key-source', {api: placeholder('API'), source: placeholder('HEADER|AUTHORIZER')}),
      'gwctl api set-key-source --api API --source HEADER|AUTHORIZER',
    )
    assert.equal(
      commandLine('methods require-key', {api: placeholder('API'), path: optional('GLOB'), method: [optional('VERB')]}),
      'gwctl methods require-key --api API [--path GLOB] [--method VERB]',
    )
  })

  it('refuses, at compile time, a command or flag gwctl does not have', () => {
    // @ts-expect-error: no such command
    assert.throws(() => commandLine('plans remove', {}))
    // @ts-expect-error: keys attach has no --stage flag
    assert.equal(commandLine('keys attach', {key: 'k1', stage: 'prod'}), 'gwctl keys attach k1 --stage prod')
    // @ts-expect-error: --create-stage is a boolean
    commandLine('deploy', {'create-stage': 'yes'})
    assert.ok(GWCTL_COMMANDS['keys attach'].flags.plan)
  })
})
