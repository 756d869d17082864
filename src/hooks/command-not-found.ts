import {Errors, type Hook, toConfiguredId} from '@oclif/core'

import {badInput} from '../model/errors.js'
import {closestNames} from '../model/resolve.js'
import {renderFailure} from '../ui/failure.js'
import {colorEnabled, makeStyle} from '../ui/style.js'

/**
 * A mistyped command (`gwctl plan list`): bad input (exit 2) naming the closest
 * commands or topics, written with spaces as people type them. It only suggests:
 * running a guess of a command that may change things is left to the person.
 * Under --json the error goes to stdout as every gwctl error does (docs/json.md).
 */
const hook: Hook<'command_not_found'> = function (options) {
  const {config, id, argv = []} = options
  const visible = config.commands.filter((c) => !c.hidden).map((c) => c.id)
  const candidates = [...new Set([...visible, ...config.topics.map((t) => t.name)])]
  const typed = toConfiguredId(id, config)
  const close = closestNames(id, candidates).map((c) => `gwctl ${toConfiguredId(c, config)}`)
  const error = badInput(`"${typed}" is not a gwctl command`, {
    suggestions: [...(close.length > 0 ? [`Did you mean ${close.join(' or ')}?`] : []), 'See every command: gwctl --help'],
  })
  if (argv.includes('--json') || process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({error: error.toJSON()}, null, 2)}\n`)
  else process.stderr.write(`${renderFailure(error, makeStyle(colorEnabled(process.stderr)))}\n`)
  // oclif ends the process with this code, quietly: the message is out already.
  throw new Errors.ExitError(error.exitCode)
}

export default hook
