import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {canPrompt} from '../ui/prompt.js'
import {awsWizardPorts} from '../wizard/aws.js'
import {terminalPrompter} from '../wizard/prompts.js'
import {refuseWithoutTerminal, runWizard} from '../wizard/wizard.js'

export default class Wizard extends BaseCommand<typeof Wizard> {
  static override summary = 'Set up a usage plan end to end, by answering questions'
  static override description = `Asks for the API, its stages, a new or existing plan with its limits, per-method throttles, API keys (new, imported from a CSV file, or existing), which methods require a key and where the key comes from. Nothing is sent until you have seen a summary of every change with the equivalent gwctl commands and confirmed it; --dry-run stops at the summary.
The changes are then applied in the order AWS's guide gives, ending with a deployment of each stage so callers see them. New key values are shown once at the end (and written to --keys-out, readable by you only). If a step fails, gwctl stops and prints what was done, what was not, and the commands that finish or undo the job.
The wizard needs a terminal; without one it exits 2 and lists the commands to script the same setup.`

  static override examples = [
    '<%= config.bin %> wizard',
    '<%= config.bin %> wizard --dry-run',
    '<%= config.bin %> wizard --keys-out new-keys.csv --region eu-west-1',
  ]

  // The wizard talks to a person; scripts run the commands its summary prints.
  static override enableJsonFlag = false

  static override flags = {
    'dry-run': Flags.boolean({description: 'ask everything, show the summary and the equivalent commands, change nothing', default: false}),
    'keys-out': Flags.string({
      description: 'also write the new key values to this CSV file (created with mode 0600 before anything is changed; must not exist)',
    }),
  }

  async run(): Promise<void> {
    if (!canPrompt()) throw refuseWithoutTerminal()
    const {reads, writes} = awsWizardPorts(await this.apiGateway())
    await runWizard(
      {
        prompter: await terminalPrompter(),
        reads,
        writes,
        log: (text) => this.log(text),
        note: (text) => this.logToStderr(text),
        style: this.style,
      },
      {dryRun: this.flags['dry-run'], keysOut: this.flags['keys-out'], interrupted: this.session.interrupted},
    )
  }
}
