import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {methodList, Methods, type RequireKeyResult} from '../../gateway/methods.js'
import {labelOf} from '../../model/resolve.js'
import {renderDryRun} from '../../ui/calls.js'
import {redeployNote} from '../../ui/redeploy.js'
import {confirmOrRefuse} from '../../ui/prompt.js'
import {renderTable} from '../../ui/table.js'

const label = (required: boolean) => (required ? 'required' : 'not required')

export default class MethodsRequireKey extends BaseCommand<typeof MethodsRequireKey> {
  static override summary = 'Require an API key on methods (or stop requiring one with --off)'
  static override description = `Sets apiKeyRequired with one UpdateMethod call per method, skipping methods already set, and prints what changed.
Without --path and --method, every method of the API is selected.

--path is a glob over resource paths, matched segment by segment:
  *   any characters within one segment: /pets/* matches /pets/{id}, not /pets
  **  any number of segments, even none: /pets/** matches /pets and all below it
Anything else is literal: /pets/{id} selects exactly that resource. Quote globs in the shell.

Method changes reach callers only after the stage is deployed again: pass --deploy STAGE to deploy right after (also when nothing changed, to publish earlier changes), or run \`gwctl deploy\`.
A key is honoured only on stages a usage plan covers: gwctl warns about stages no plan covers, and before deploying to one asks for confirmation (--yes; without a terminal it refuses unless --yes is given).
If a call fails part way, the error lists the methods already changed and the command that undoes them.`

  static override examples = [
    '<%= config.bin %> methods require-key --api pets-api --deploy prod',
    "<%= config.bin %> methods require-key --api pets-api --path '/pets/**' --method GET --method POST --dry-run",
    "<%= config.bin %> methods require-key --api a1b2c3d4e5 --path '/health' --off --deploy prod",
  ]

  static override flags = {
    api: Flags.string({description: 'REST API id or name', required: true}),
    path: Flags.string({description: 'resource path glob: * is one segment, ** any depth, e.g. /pets/* (default: every path)'}),
    method: Flags.string({description: 'HTTP method to select, e.g. GET (repeatable; default: every method)', multiple: true}),
    off: Flags.boolean({description: 'stop requiring an API key on the selected methods', default: false}),
    deploy: Flags.string({description: 'deploy the API to this existing stage afterwards, so that callers see the change'}),
    yes: Flags.boolean({char: 'y', description: 'deploy even to a stage no usage plan covers, without asking', default: false}),
    'dry-run': Flags.boolean({description: 'print what would change and send nothing', default: false}),
  }

  async run(): Promise<RequireKeyResult> {
    const f = this.flags
    const result = await new Methods(await this.apiGateway()).requireKey(
      {api: f.api, path: f.path, methods: f.method, off: f.off, deploy: f.deploy, dryRun: f['dry-run']},
      {
        confirm: async (question, warnings) => {
          for (const warning of warnings) this.warning(warning)
          await confirmOrRefuse(question, {yes: f.yes})
        },
      },
    )
    for (const warning of result.warnings) this.warning(warning)
    const api = `API ${labelOf(result.restApi)}`
    const wanted = result.apiKeyRequired ? 'require an API key' : 'not require an API key'

    if (result.changedMethods.length === 0) {
      this.log(`All ${result.unchangedMethods.length} selected methods of ${api} already ${wanted}; nothing to change`)
    } else {
      const verb = f['dry-run'] ? 'Would change' : 'Changed'
      this.log(`${verb} ${result.changedMethods.length} method(s) of ${api} to ${wanted}:`)
      this.log(
        renderTable(
          ['Path', 'Method', 'API key'],
          result.changedMethods.map((m) => [m.path, m.httpMethod, `${label(!m.apiKeyRequired)} -> ${label(m.apiKeyRequired)}`]),
          this.style,
        ),
      )
      if (result.unchangedMethods.length > 0) this.log(`Already set, skipped: ${methodList(result.unchangedMethods)}`)
    }

    const apiId = result.restApi.id
    if (f['dry-run']) {
      this.log(renderDryRun(result.calls, this.style))
    } else if (result.deployment) {
      this.log(this.style.green(`Deployed to stage ${f.deploy}: deployment ${result.deployment.id}`))
    } else if (result.changed) {
      this.note(redeployNote('method changes', apiId, result.stagesToRedeploy))
    }

    return result
  }
}
