import assert from 'node:assert/strict'

import {fieldPaths, jsonLineParser} from '../../src/simulator/formats.js'
import type {LogRecord} from '../../src/simulator/records.js'

const recommended = (over: Record<string, string> = {}) =>
  JSON.stringify({requestId: 'r-1', requestTime: '01/Mar/2026:12:00:00 +0000', requestTimeEpoch: '1772366400123', apiId: 'api0000001', stage: 'prod', resourcePath: '/items', httpMethod: 'GET', status: '200', apiKeyId: 'k1', ip: '198.51.100.7', ...over})

// Lines the bytes path reads itself, and lines it must hand to the text parser; each
// appears twice, since the second sighting of a route or key id is read from memory.
const LINES = [
  recommended(),
  recommended({apiKeyId: 'k2', httpMethod: 'post', status: '503'}),
  recommended({apiKeyId: '-'}),
  recommended({apiKeyId: 'null'}),
  recommended({apiKeyId: ''}),
  '{"requestTimeEpoch":"1772366400000","apiId":"api0000001","stage":"prod","resourcePath":"/items","httpMethod":"GET","apiKeyId":"k\\u0031"}',
  recommended({resourcePath: '/a\\/b'}),
  recommended({requestTimeEpoch: '1772366400'}),
  recommended({requestTimeEpoch: 'soon'}),
  recommended({requestTimeEpoch: '-'}),
  recommended({status: '-'}),
  recommended({stage: '-'}),
  '{"requestTimeEpoch":1772366400456, "apiId" : "api0000001","stage":"prod","resourcePath":"/items","httpMethod":"GET","status":429,"apiKeyId":"k1"}',
  '{"apiKeyId":"k4","status":"200","httpMethod":"GET","resourcePath":"/items","stage":"prod","apiId":"api0000001","requestTimeEpoch":"1772366400789"}',
  '{"requestTimeEpoch":"1772366400000","apiId":"api0000001","stage":"prod","resourcePath":"/items","httpMethod":"GET","apiKey":"secret-value"}',
  '{"requestTimeEpoch":"1772366400000","apiId":"api0000001","stage":"prod","resourcePath":"/items","httpMethod":"GET","apiKeyId":"k8","status":"200"}',
  '{"requestTimeEpoch":"1772366400000","note":"the \\"apiId\\" field","apiId":"api0000001","stage":"prod","resourcePath":"/items","httpMethod":"GET","apiKeyId":"k1"}',
  '{"requestTime":"01/Mar/2026:12:00:01 +0000","apiId":"api0000001","stage":"prod","resourcePath":"/items","httpMethod":"GET","apiKeyId":"k1"}',
  '{"requestTimeEpoch":"1772366400000","apiId":"api0000001","stage":"prod","resourcePath":"/items","httpMethod":"GET","apiKeyId":"k1"',
  '{"requestTimeEpoch":"1772366400000","apiId":"api0000001","stage":"prod","resourcePath":"/items","httpMethod":GET,"apiKeyId":k5}',
  '{"requestTimeEpoch":"1772366400000","apiId":"api0000001","stage":"prod","resourcePath":"/items","httpMethod":GETS,"apiKeyId":k5}',
  '{"requestTimeEpoch":"1772366400000","apiId":"api0000001","stage":"prod","resourcePath":"/items","httpMethod":"GET"S,"apiKeyId":"k5"}',
  '{"requestTimeEpoch":"1772366400000","apiId":"api0000001","stage":"prod","resourcePath":"/items","httpMethod":"GET","apiKeyId":"k1","apiKeyId":"k6"}',
  '{"requestTimeEpoch":"1772366400000","apiId":"api0000001","stage":"prod","resourcePath":"/items","httpMethod":"GET","status":"20x","apiKeyId":"k1"}',
  '{}',
  '{"requestTimeEpoch":"1772366400000","apiId":"api0000001"}',
].flatMap((line) => [line, line])

const plain = (rec: LogRecord | string) => (typeof rec === 'string' ? rec : {...rec, where: {...rec.where, routes: [], verdict: 0}})

describe('reading recommended JSON lines as bytes', () => {
  it('gives the record the text parser gives, line for line, including lines it hands over', () => {
    const text = jsonLineParser(fieldPaths([])).parser
    const {bytes} = jsonLineParser(fieldPaths([]))
    assert.ok(bytes)
    for (const [i, line] of LINES.entries()) {
      const buf = Buffer.from(`junk\n${line}\r\nmore`, 'latin1')
      const start = 5
      assert.deepEqual(plain(bytes(buf, start, start + line.length, i + 1, 0)), plain(text(line, i + 1, 0)), line)
    }
  })

  it('reads the fields named by --field, and has no bytes path for nested ones', () => {
    const paths = fieldPaths(['apiKeyId=key', 'requestTimeEpoch=ms'])
    const line = '{"ms":"1772366400000","apiId":"api0000001","stage":"prod","resourcePath":"/items","httpMethod":"GET","key":"k7"}'
    const {parser, bytes} = jsonLineParser(paths)
    const record = bytes!(Buffer.from(line), 0, line.length, 1, 0)
    assert.deepEqual(plain(record), plain(parser(line, 1, 0)))
    assert.equal((record as LogRecord).apiKeyId, 'k7')
    assert.equal(jsonLineParser(fieldPaths(['apiKeyId=identity.apiKeyId'])).bytes, undefined)
  })
})
