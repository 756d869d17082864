import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {type StageThrottleResult, StageThrottles} from '../../gateway/stage-throttles.js'
import {badInput} from '../../model/errors.js'
import * as flags from '../../flags.js'
import {parseStageRef, throttleFrom} from '../../model/flag-values.js'
import {labelOf} from '../../model/resolve.js'
import {renderDryRun} from '../../ui/calls.js'

export default class StagesThrottle extends BaseCommand<typeof StagesThrottle> {
  static override summary = "Set or switch off a stage's own throttle, for every method or one"
  static override description = `A stage throttle limits all callers of the stage together, with or without a key, before any usage plan applies; usage plans then limit each key. Without --method it sets the stage's default for every method (AWS's "*/*" method setting); with --method, that method's own setting.
--off switches the throttle off: AWS stores -1 as its rate and burst. One UpdateStage call; none when the stage already has these limits. No deployment is needed: stage settings apply at once.`

  static override examples = [
    '<%= config.bin %> stages throttle pets-api:prod --rate 500 --burst 1000',
    '<%= config.bin %> stages throttle pets-api:prod --method /pets/POST --rate 10 --burst 20',
    '<%= config.bin %> stages throttle a1b2c3d4e5:prod --method /pets/POST --off --json',
  ]

  static override args = {stage: Args.string({description: 'the stage, as API:STAGE (API by id or name)', required: true})}
  static override flags = {
    method: flags.methodRef({description: 'one method, as /path/METHOD (//GET for the root); default: every method of the stage'}),
    rate: flags.rate({description: 'requests per second for all callers together'}),
    burst: flags.burst({description: 'burst capacity for all callers together, a whole number'}),
    off: Flags.boolean({description: 'switch the throttle off (not with --rate or --burst)', default: false}),
    'dry-run': Flags.boolean({description: 'print the call that would be sent; send nothing', default: false}),
  }

  async run(): Promise<StageThrottleResult> {
    const f = this.flags
    if (f.off && (f.rate !== undefined || f.burst !== undefined)) throw badInput(`--off cannot be combined with --${f.rate === undefined ? 'burst' : 'rate'}`)
    const throttle = f.off ? undefined : throttleFrom(f.rate, f.burst)
    if (!f.off && !throttle) throw badInput('Give --rate and --burst, or --off')
    const {api, stage} = parseStageRef(this.args.stage, 'STAGE')
    const {method} = f
    const result = await new StageThrottles(await this.apiGateway()).set({api, stage, method, throttle, dryRun: f['dry-run']})

    const what = `${method ? `${method.httpMethod} ${method.path}` : 'every method'} of stage ${stage} of API ${labelOf(result.restApi)}`
    const limits = throttle ? `${throttle.rateLimit} requests per second, burst ${throttle.burstLimit}` : 'off'
    if (result.operations.length === 0) this.log(`Throttle of ${what} is already ${limits}; nothing changed`)
    else if (result.dryRun) this.log(renderDryRun(result.calls, this.style))
    else this.log(this.style.green(`Throttle of ${what}: ${limits}`))
    return result
  }
}
