import {stopSharedMoto} from './moto.js'

// Loaded by .mocharc.json: whatever the run started once for all test files is stopped at its end.
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000)
    await stopSharedMoto()
  },
}
