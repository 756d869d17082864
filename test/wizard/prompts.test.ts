import {render} from '@inquirer/testing'
import assert from 'node:assert/strict'

import {GwctlError} from '../../src/model/errors.js'
import {parseRate} from '../../src/model/flag-values.js'
import {type PromptStreams, terminalPrompter, validatorFrom} from '../../src/wizard/prompts.js'

type Ask<T> = (prompter: Awaited<ReturnType<typeof terminalPrompter>>) => Promise<T>

/** Renders one wizard question through the real @inquirer/prompts binding on fake terminal streams. */
async function renderQuestion<T>(ask: Ask<T>) {
  // render() hands the streams to the "prompt"; ours passes them to terminalPrompter.
  const prompt = ((_: unknown, streams: PromptStreams) => terminalPrompter(streams).then(ask)) as never
  const rendered = (await render(prompt, {} as never)) as unknown as Awaited<ReturnType<typeof render>> & {answer: Promise<T>}
  // The binding loads @inquirer/prompts lazily: wait until the question is drawn before typing.
  while (rendered.getFullOutput() === '') await new Promise((r) => setTimeout(r, 5))
  return rendered
}

const settle = () => new Promise((r) => setTimeout(r, 20))

describe('wizard prompts on a terminal (@inquirer/prompts)', () => {
  it("shows the parser's reason under a refused value and keeps asking", async () => {
    const {answer, events, getScreen} = await renderQuestion((p) =>
      p.input({message: 'Throttle rate', default: '10', validate: validatorFrom((raw: string) => parseRate(raw, 'Throttle rate'))}),
    )
    events.type('fast')
    events.keypress('enter')
    await settle()
    assert.match(getScreen(), /Throttle rate must be a number of requests per second, 0 or more; got "fast"/)
    for (let i = 0; i < 4; i++) events.keypress('backspace')
    events.type('2.5')
    events.keypress('enter')
    assert.equal(await answer, '2.5')
  })

  it('turns Ctrl-C into exit 130 with "nothing was changed"', async () => {
    const {answer, events} = await renderQuestion((p) => p.confirm({message: 'Apply?'}))
    events.keypress({name: 'c', ctrl: true})
    const error = await answer.catch((error_: unknown) => error_)
    assert.ok(error instanceof GwctlError, String(error))
    assert.equal(error.exitCode, 130)
    assert.equal(error.message, 'Cancelled; nothing was changed')
  })

  it('passes the values of the checked boxes to the validator', async () => {
    const seen: string[][] = []
    const {answer, events} = await renderQuestion((p) =>
      p.checkbox({
        message: 'Stages',
        choices: [
          {name: 'prod', value: 'prod'},
          {name: 'beta', value: 'beta', checked: true},
        ],
        validate: (chosen) => (seen.push(chosen), true),
      }),
    )
    events.keypress('space')
    events.keypress('enter')
    assert.deepEqual(await answer, ['prod', 'beta'])
    assert.deepEqual(seen, [['prod', 'beta']])
  })
})
