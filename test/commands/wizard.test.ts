import assert from 'node:assert/strict'

import {runCli} from '../helpers/cli.js'
import {hasScript, onTerminal} from '../helpers/terminal.js'

// Nothing listens on port 9: a wizard that called AWS would fail with "Could not reach".
const UNREACHABLE = ['--endpoint-url', 'http://127.0.0.1:9']

describe('wizard command (built CLI)', function () {
  this.timeout(30_000)

  it('refuses at once without a terminal (exit 2), sends nothing, and lists the commands to script instead', async () => {
    const result = await runCli(['wizard', ...UNREACHABLE])
    assert.equal(result.code, 2, result.stderr)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /gwctl wizard asks questions and needs a terminal/)
    for (const command of ['plans create', 'stages attach', 'keys create', 'methods require-key', 'api set-key-source', 'deploy'])
      assert.match(result.stderr, new RegExp(`gwctl ${command}`))
    assert.doesNotMatch(result.stderr, /Could not reach/)
  })

  it('refuses --json: the wizard talks to a person, and its summary prints the commands for scripts', async () => {
    const result = await runCli(['wizard', '--json'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /^Error: Unknown flag --json\nTry: See the flags and examples: gwctl wizard --help\n$/)
  })

  it('refuses an existing --keys-out file before asking anything', async function () {
    if (!hasScript()) this.skip()
    const t = onTerminal(['wizard', '--keys-out', 'package.json', ...UNREACHABLE], {CI: ''})
    await t.expect(/--keys-out package\.json: cannot create it: it already exists, and gwctl does not replace a file of key values/)
    assert.equal(await t.exit(), 2)
    assert.doesNotMatch(t.screen(), /Could not reach|Which REST API/)
  })

  it('refuses a --keys-out it could not write, before asking anything (issue 13)', async function () {
    if (!hasScript()) this.skip()
    const t = onTerminal(['wizard', '--keys-out', '/nonexistent-dir/keys.csv', ...UNREACHABLE], {CI: ''})
    await t.expect(/--keys-out \/nonexistent-dir\/keys\.csv: cannot create it: its directory does not exist/)
    assert.equal(await t.exit(), 2)
    assert.doesNotMatch(t.screen(), /Could not reach|Which REST API/)
  })

  it('on a terminal, starts by listing the REST APIs; under CI=true it refuses like without a terminal', async function () {
    if (!hasScript()) this.skip()
    const started = onTerminal(['wizard', ...UNREACHABLE], {CI: ''})
    await started.expect(/Could not reach the API Gateway endpoint while listing REST APIs/)
    assert.notEqual(await started.exit(), 0)
    const ci = onTerminal(['wizard', ...UNREACHABLE], {CI: 'true'})
    await ci.expect(/needs a terminal on stdin and stdout \(and CI unset\)/)
    assert.equal(await ci.exit(), 2)
    assert.doesNotMatch(ci.screen(), /Could not reach/)
  })
})
