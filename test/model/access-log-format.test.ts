import assert from 'node:assert/strict'

import {analyzeAccessLogFormat, missingReplayVariables, REPLAY_FIELDS, SIMULATE_POSITIONS, styleOf} from '../../src/model/access-log-format.js'
import {CSV_COLUMNS, RECOMMENDED_FORMATS} from '../../src/simulator/formats.js'
import {FIELD_NAMES} from '../../src/simulator/records.js'

// AWS's sample formats, as the access-logging guide prints them (set-up-access-logging.html).
const AWS_CLF =
  '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime]"$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId $context.extendedRequestId'
const AWS_JSON =
  '{ "requestId":"$context.requestId", "extendedRequestId":"$context.extendedRequestId", "ip": "$context.identity.sourceIp", "caller":"$context.identity.caller", "user":"$context.identity.user", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod", "resourcePath":"$context.resourcePath", "status":"$context.status", "protocol":"$context.protocol", "responseLength":"$context.responseLength" }'
const AWS_CSV =
  '$context.identity.sourceIp,$context.identity.caller,$context.identity.user,$context.requestTime,$context.httpMethod,$context.resourcePath,$context.protocol,$context.status,$context.responseLength,$context.requestId,$context.extendedRequestId'
const AWS_XML =
  '<request id="$context.requestId"> <ip>$context.identity.sourceIp</ip> <requestTime>$context.requestTime</requestTime> <httpMethod>$context.httpMethod</httpMethod> <resourcePath>$context.resourcePath</resourcePath> <status>$context.status</status> </request>'

const needNames = (format: string) => analyzeAccessLogFormat(format).missing.map((n) => `${n.name}${n.required ? '!' : ''}`)

describe('access-log format analysis', () => {
  it('agrees with what the simulator reads (guards the copies kept in src/model)', () => {
    assert.deepEqual(Object.keys(REPLAY_FIELDS).toSorted(), [...FIELD_NAMES].toSorted())
    // Every field of the recommended JSON format is read under its own name, from the variable listed here.
    const recommended = JSON.parse(RECOMMENDED_FORMATS.json) as Record<string, string>
    for (const field of FIELD_NAMES.filter((f) => f !== 'apiKey')) assert.equal(recommended[field], REPLAY_FIELDS[field], field)
    // Where simulate looks for each field in CSV without --field (CLF reads SIMULATE_POSITIONS itself).
    const csvDefaults = Object.fromEntries(CSV_COLUMNS.flatMap((name, i) => ((FIELD_NAMES as readonly string[]).includes(name) ? [[name, i + 1]] : [])))
    assert.deepEqual(SIMULATE_POSITIONS, csvDefaults)
  })

  it('finds nothing missing in the formats gwctl logs format recommends', () => {
    for (const [style, format] of Object.entries(RECOMMENDED_FORMATS)) {
      const analysis = analyzeAccessLogFormat(format)
      assert.equal(analysis.style, style)
      assert.deepEqual([analysis.missing, analysis.problems, analysis.fieldFlags, analysis.notes], [[], [], [], []], style)
      assert.equal(analysis.replayable, true)
    }
  })

  it("says AWS's samples lack the key, and what else replay would like", () => {
    for (const format of [AWS_CLF, AWS_JSON, AWS_CSV]) {
      assert.deepEqual(needNames(format), ['key!', 'apiId', 'stage', 'millisecondTime'])
      assert.equal(analyzeAccessLogFormat(format).replayable, false)
      assert.deepEqual(missingReplayVariables(analyzeAccessLogFormat(format), {requiredOnly: true}), ['$context.identity.apiKeyId'])
    }

    assert.deepEqual(missingReplayVariables(analyzeAccessLogFormat(AWS_JSON)), [
      '$context.identity.apiKeyId',
      '$context.apiId',
      '$context.stage',
      '$context.requestTimeEpoch',
    ])
  })

  it('tells the styles apart', () => {
    assert.deepEqual([AWS_CLF, AWS_JSON, AWS_CSV, AWS_XML, '$context.requestId'].map(styleOf), ['clf', 'json', 'csv', 'xml', 'other'])
    const xml = analyzeAccessLogFormat(AWS_XML)
    assert.deepEqual(xml.problems, ['simulate does not read XML access logs'])
    assert.equal(xml.replayable, false)
  })

  it('lists every variable once, in order', () => {
    assert.deepEqual(analyzeAccessLogFormat('{"a":"$context.requestId","b":"$context.requestId $context.status"}').variables, [
      '$context.requestId',
      '$context.status',
    ])
  })

  it('reads JSON fields under other names and nested, and names the --field flags simulate needs', () => {
    const format = JSON.stringify({
      when: '$context.requestTimeEpoch',
      route: {api: '$context.apiId', stage: '$context.stage', path: '$context.resourcePath', verb: '$context.httpMethod'},
      status: '$context.status',
      identity: {apiKeyId: '$context.identity.apiKeyId'},
      requestId: '$context.requestId',
    })
    const analysis = analyzeAccessLogFormat(format)
    assert.equal(analysis.replayable, true)
    assert.deepEqual(analysis.missing, [])
    assert.deepEqual(analysis.fieldFlags, [
      '--field requestTimeEpoch=when',
      '--field apiId=route.api',
      '--field stage=route.stage',
      '--field resourcePath=route.path',
      '--field httpMethod=route.verb',
      '--field apiKeyId=identity.apiKeyId',
    ])
  })

  it('accepts unquoted variables, which are JSON only once filled in', () => {
    const format =
      '{"requestTimeEpoch": $context.requestTimeEpoch, "httpMethod": "$context.httpMethod", "resourcePath": "$context.resourcePath", "status": $context.status, "apiKeyId": "$context.identity.apiKeyId", "requestId": "$context.requestId"}'
    const analysis = analyzeAccessLogFormat(format)
    assert.deepEqual(
      [analysis.style, analysis.problems, analysis.locations.status, analysis.locations.requestTimeEpoch],
      ['json', [], 'status', 'requestTimeEpoch'],
    )
    assert.deepEqual(needNames(format), ['apiId', 'stage'])
  })

  it('does not take a variable inside a longer string for the field', () => {
    const format = '{"requestTime":"$context.requestTime","request":"$context.httpMethod $context.resourcePath","apiKeyId":"$context.identity.apiKeyId"}'
    assert.deepEqual(needNames(format).slice(0, 2), ['httpMethod!', 'resourcePath!'])
    assert.ok(analyzeAccessLogFormat(format).variables.includes('$context.httpMethod'))
  })

  it('refuses JSON that is not JSON even with the variables filled in', () => {
    const analysis = analyzeAccessLogFormat('{"requestId": "$context.requestId",')
    assert.deepEqual(analysis.problems, ['it is not a JSON object, even with its $context variables filled in'])
    assert.equal(analysis.replayable, false)
  })

  it('warns when a field simulate reads by name holds another variable', () => {
    const analysis = analyzeAccessLogFormat(
      '{"requestTimeEpoch":"$context.requestTimeEpoch","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","apiKeyId":"$context.identity.apiKeyId","status":"$context.integrationStatus","requestId":"$context.requestId"}',
    )
    assert.deepEqual(analysis.problems, ['its "status" field holds "$context.integrationStatus", which simulate would read as $context.status'])
  })

  it('notes a key value logged instead of its id, which replay can still use', () => {
    const analysis = analyzeAccessLogFormat(
      '{"requestTimeEpoch":"$context.requestTimeEpoch","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","key":"$context.identity.apiKey","requestId":"$context.requestId"}',
    )
    assert.equal(analysis.replayable, true)
    assert.deepEqual(analysis.fieldFlags, ['--field apiKey=key'])
    assert.match(analysis.notes[0], /logs the API key value .* log \$context\.identity\.apiKeyId instead/)
  })

  it('reads CSV columns by position and names the flags simulate needs', () => {
    const reordered = '$context.requestTimeEpoch,$context.httpMethod,$context.resourcePath,$context.status,$context.identity.apiKeyId,$context.requestId'
    const analysis = analyzeAccessLogFormat(reordered)
    assert.deepEqual(analysis.fieldFlags, [
      '--field requestTimeEpoch=1',
      '--field resourcePath=3',
      '--field httpMethod=2',
      '--field status=4',
      '--field apiKeyId=5',
      '--field requestId=6',
    ])
    // Column 4, where simulate would look for requestTime, is given to status; and the epoch wins anyway.
    assert.deepEqual([analysis.problems, analysis.replayable], [[], true])
  })

  it('names a CSV column simulate would misread', () => {
    const twelve =
      '$context.requestTimeEpoch,$context.httpMethod,$context.resourcePath,$context.status,$context.identity.apiKeyId,$context.requestId,$context.a,$context.b,$context.c,$context.d,$context.e,$context.identity.caller'
    assert.deepEqual(analyzeAccessLogFormat(twelve).problems, ['its column 12 holds $context.identity.caller, which simulate would read as $context.apiId'])
    assert.deepEqual(analyzeAccessLogFormat('$context.requestTime,$context.httpMethod').problems, ['it has 2 columns; simulate reads CSV with at least 6'])
  })

  it('reads CLF by position, one per variable, and names the flags simulate needs', () => {
    assert.deepEqual(analyzeAccessLogFormat(AWS_CLF).problems, [])
    const moved = AWS_CLF.replace('$context.status $context.responseLength', '$context.responseLength $context.status')
    assert.deepEqual(analyzeAccessLogFormat(moved).fieldFlags, ['--field status=9'])
    assert.deepEqual(analyzeAccessLogFormat(moved).problems, [])
    const short = '$context.requestTimeEpoch $context.httpMethod $context.resourcePath $context.identity.apiKeyId $context.requestId'
    const analysis = analyzeAccessLogFormat(short)
    assert.deepEqual([analysis.style, analysis.replayable], ['clf', true])
    assert.deepEqual(analysis.fieldFlags, [
      '--field requestTimeEpoch=1',
      '--field resourcePath=3',
      '--field httpMethod=2',
      '--field apiKeyId=4',
      '--field requestId=5',
    ])
  })
})
