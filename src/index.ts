/**
 * Every gwctl command, by id. oclif's explicit command discovery reads this list (package.json "oclif.commands"):
 * `oclif manifest` to write oclif.manifest.json, and the CLI to run a command after finding it in the manifest
 * (help and lookup load no command code). A new command needs a line here; test/architecture.test.ts checks that
 * every file under src/commands has one, under the id its path gives.
 */
import type {Command} from '@oclif/core'

import ApiList from './commands/api/list.js'
import ApiSetKeySource from './commands/api/set-key-source.js'
import ApiShow from './commands/api/show.js'
import Deploy from './commands/deploy.js'
import Doctor from './commands/doctor.js'
import Export from './commands/export.js'
import KeysAttach from './commands/keys/attach.js'
import KeysCreate from './commands/keys/create.js'
import KeysDelete from './commands/keys/delete.js'
import KeysDetach from './commands/keys/detach.js'
import KeysDisable from './commands/keys/disable.js'
import KeysEnable from './commands/keys/enable.js'
import KeysExport from './commands/keys/export.js'
import KeysFind from './commands/keys/find.js'
import KeysImport from './commands/keys/import.js'
import KeysList from './commands/keys/list.js'
import KeysRotate from './commands/keys/rotate.js'
import KeysShow from './commands/keys/show.js'
import KeysTag from './commands/keys/tag.js'
import KeysUntag from './commands/keys/untag.js'
import KeysUpdate from './commands/keys/update.js'
import LogsEnable from './commands/logs/enable.js'
import LogsFormat from './commands/logs/format.js'
import LogsStatus from './commands/logs/status.js'
import MethodsList from './commands/methods/list.js'
import MethodsRequireKey from './commands/methods/require-key.js'
import PlansCreate from './commands/plans/create.js'
import PlansDelete from './commands/plans/delete.js'
import PlansList from './commands/plans/list.js'
import PlansShow from './commands/plans/show.js'
import PlansTag from './commands/plans/tag.js'
import PlansUntag from './commands/plans/untag.js'
import PlansUpdate from './commands/plans/update.js'
import Simulate from './commands/simulate.js'
import StagesAttach from './commands/stages/attach.js'
import StagesDetach from './commands/stages/detach.js'
import StagesList from './commands/stages/list.js'
import StagesThrottle from './commands/stages/throttle.js'
import StagesUpdate from './commands/stages/update.js'
import UsageCheck from './commands/usage/check.js'
import UsageGrant from './commands/usage/grant.js'
import Usage from './commands/usage/index.js'
import Wizard from './commands/wizard.js'

export const COMMANDS = {
  'api:list': ApiList,
  'api:set-key-source': ApiSetKeySource,
  'api:show': ApiShow,
  deploy: Deploy,
  doctor: Doctor,
  export: Export,
  'keys:attach': KeysAttach,
  'keys:create': KeysCreate,
  'keys:delete': KeysDelete,
  'keys:detach': KeysDetach,
  'keys:disable': KeysDisable,
  'keys:enable': KeysEnable,
  'keys:export': KeysExport,
  'keys:find': KeysFind,
  'keys:import': KeysImport,
  'keys:list': KeysList,
  'keys:rotate': KeysRotate,
  'keys:show': KeysShow,
  'keys:tag': KeysTag,
  'keys:untag': KeysUntag,
  'keys:update': KeysUpdate,
  'logs:enable': LogsEnable,
  'logs:format': LogsFormat,
  'logs:status': LogsStatus,
  'methods:list': MethodsList,
  'methods:require-key': MethodsRequireKey,
  'plans:create': PlansCreate,
  'plans:delete': PlansDelete,
  'plans:list': PlansList,
  'plans:show': PlansShow,
  'plans:tag': PlansTag,
  'plans:untag': PlansUntag,
  'plans:update': PlansUpdate,
  simulate: Simulate,
  'stages:attach': StagesAttach,
  'stages:detach': StagesDetach,
  'stages:list': StagesList,
  'stages:throttle': StagesThrottle,
  'stages:update': StagesUpdate,
  usage: Usage,
  'usage:check': UsageCheck,
  'usage:grant': UsageGrant,
  wizard: Wizard,
} satisfies Record<string, Command.Class>
