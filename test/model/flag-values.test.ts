import assert from 'node:assert/strict'

import {GwctlError} from '../../src/model/errors.js'
import {methodKey} from '../../src/model/usage-plan.js'
import {
  parseBurst,
  parseEndpointUrl,
  parseMethodKey,
  parseMethodThrottle,
  parseName,
  parsePeriod,
  parseQuota,
  parseQuotaOffset,
  parseRate,
  parseRegion,
  parseSeconds,
  parseStageMethodThrottle,
  parseStageName,
  parseStageRef,
  parseTag,
  parseWaitSeconds,
  throttleFrom,
  wholeNumber,
  parseDuration,
  parseDate,
} from '../../src/model/flag-values.js'

/** Asserts `fn` throws a bad-input error (exit 2) whose message matches `message`. */
function rejects(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof GwctlError, `expected a GwctlError, got ${String(error)}`)
    assert.equal(error.code, 'BAD_INPUT')
    assert.equal(error.exitCode, 2)
    assert.match(error.message, message)
    return true
  })
}

describe('model/flag-values', () => {
  describe('wholeNumber, under every count a person types', () => {
    it('reads digits from the minimum up', () => {
      assert.equal(wholeNumber('0'), 0)
      assert.equal(wholeNumber('42'), 42)
      assert.equal(wholeNumber('1', 1), 1)
      assert.equal(wholeNumber('0', 1), undefined)
    })

    // Issue 13: a padded or hexadecimal number is a typo or a script bug, not a number.
    for (const bad of ['', ' ', '-1', '+1', '1.5', '1e3', '0x10', '12abc', '99999999999999999999', ' 42 ', ' 5', '5\n']) {
      it(`is undefined for "${bad}"`, () => assert.equal(wholeNumber(bad), undefined))
    }
  })

  describe('parseRate', () => {
    it('accepts whole and fractional numbers from 0', () => {
      assert.equal(parseRate('0'), 0)
      assert.equal(parseRate('10'), 10)
      assert.equal(parseRate('0.5'), 0.5)
    })
    for (const bad of ['-1', 'abc', '', ' ', 'Infinity', 'NaN', '10rps', '0x10', ' 5', '5 ', '1e3', '.5', '-0.5']) {
      it(`rejects "${bad}" naming the flag and the value`, () => {
        rejects(() => parseRate(bad), new RegExp(`^--rate must be a number of requests per second, 0 or more; got "${bad}"$`))
      })
    }

    it('names the flag it was given', () => {
      rejects(() => parseRate('x', '--method-throttle rate'), /^--method-throttle rate must be/)
    })
  })

  describe('parseBurst', () => {
    it('accepts whole numbers from 0', () => {
      assert.equal(parseBurst('0'), 0)
      assert.equal(parseBurst('200'), 200)
    })
    for (const bad of ['-1', '1.5', 'abc', '', '1e3', '99999999999999999999', '0x10', ' 5']) {
      it(`rejects "${bad}"`, () => {
        rejects(() => parseBurst(bad), new RegExp(`^--burst must be a whole number of requests, 0 or more; got "${bad}"$`))
      })
    }

    it("rejects a burst above AWS's 32-bit limit, and takes the limit itself", () => {
      assert.equal(parseBurst('2147483647'), 2_147_483_647)
      rejects(() => parseBurst('2147483648'), /^--burst is 2147483648, above AWS's limit of 2147483647$/)
      rejects(() => parseBurst('99999999999'), /above AWS's limit/)
    })
  })

  describe('parsePeriod', () => {
    it('accepts DAY, WEEK and MONTH in any case', () => {
      assert.equal(parsePeriod('day'), 'DAY')
      assert.equal(parsePeriod('Week'), 'WEEK')
      assert.equal(parsePeriod('MONTH'), 'MONTH')
    })
    it('rejects other periods', () => {
      rejects(() => parsePeriod('YEAR'), /^--quota period must be DAY, WEEK or MONTH; got "YEAR"$/)
      rejects(() => parsePeriod('hour'), /got "hour"/)
    })
  })

  describe('parseQuota', () => {
    it('parses LIMIT/PERIOD with the period in any case', () => {
      assert.deepEqual(parseQuota('5000/MONTH'), {limit: 5000, period: 'MONTH'})
      assert.deepEqual(parseQuota('1000/day'), {limit: 1000, period: 'DAY'})
    })
    it("rejects spaces and a limit above AWS's 32-bit limit", () => {
      rejects(() => parseQuota('7 / week'), /must look like LIMIT\/PERIOD/)
      rejects(() => parseQuota('3000000000/DAY'), /^--quota limit is 3000000000, above AWS's limit of 2147483647$/)
    })
    it('rejects a value without a period', () => {
      rejects(() => parseQuota('5000'), /^--quota must look like LIMIT\/PERIOD, e\.g\. 5000\/MONTH; got "5000"$/)
      rejects(() => parseQuota('/MONTH'), /must look like LIMIT\/PERIOD/)
    })
    for (const bad of ['0', '-5', '1.5', 'lots']) {
      it(`rejects the limit "${bad}"`, () => {
        rejects(() => parseQuota(`${bad}/DAY`), new RegExp(`^--quota limit must be a whole number above 0; got "${bad}"$`))
      })
    }

    it('rejects an unknown period', () => {
      rejects(() => parseQuota('10/YEAR'), /^--quota period must be DAY, WEEK or MONTH; got "YEAR"$/)
    })
  })

  describe('parseQuotaOffset', () => {
    it('accepts 0 up to limit - 1', () => {
      assert.equal(parseQuotaOffset('0', 100), 0)
      assert.equal(parseQuotaOffset('99', 100), 99)
      assert.equal(parseQuotaOffset('5', undefined), 5)
    })
    it('rejects an offset equal to or above the limit', () => {
      rejects(() => parseQuotaOffset('100', 100), /^--quota-offset \(100\) must be less than the quota limit \(100\)$/)
      rejects(() => parseQuotaOffset('101', 100), /\(101\) must be less than the quota limit \(100\)/)
    })
    for (const bad of ['-1', '2.5', 'x', '', ' 1', '0x1']) {
      it(`rejects "${bad}"`, () => {
        rejects(() => parseQuotaOffset(bad, 100), new RegExp(`^--quota-offset must be a whole number of requests, 0 or more; got "${bad}"$`))
      })
    }

    it("rejects an offset above AWS's 32-bit limit", () => {
      rejects(() => parseQuotaOffset('2147483648', undefined), /^--quota-offset is 2147483648, above AWS's limit/)
    })
  })

  describe('throttleFrom', () => {
    it('needs both halves, or neither', () => {
      assert.equal(throttleFrom(undefined, undefined), undefined)
      assert.deepEqual(throttleFrom(2.5, 5), {rateLimit: 2.5, burstLimit: 5})
      assert.deepEqual(throttleFrom(0, 0), {rateLimit: 0, burstLimit: 0})
      rejects(() => throttleFrom(undefined, 5), /^--burst needs --rate: a throttle has both a rate and a burst$/)
      rejects(() => throttleFrom(5, undefined), /^--rate needs --burst: a throttle has both a rate and a burst$/)
    })
  })

  describe('parseStageName and parseStageRef', () => {
    it('accepts letters, digits, - and _', () => {
      assert.equal(parseStageName('prod_v-2'), 'prod_v-2')
      assert.equal(parseStageName('a'.repeat(128)), 'a'.repeat(128))
    })
    it('rejects other characters, empty and over-long names', () => {
      rejects(() => parseStageName('pro d'), /^--stage: "pro d" is not a stage name \(letters, digits, - and _, at most 128 characters\)$/)
      rejects(() => parseStageName(''), /is not a stage name/)
      rejects(() => parseStageName('a'.repeat(129)), /is not a stage name/)
    })
    it('splits API:STAGE at the last colon, so API names may contain colons', () => {
      assert.deepEqual(parseStageRef('pets-api:prod'), {api: 'pets-api', stage: 'prod'})
      assert.deepEqual(parseStageRef('team:pets:prod'), {api: 'team:pets', stage: 'prod'})
    })
    for (const bad of ['prod', ':prod', 'pets:', '']) {
      it(`rejects "${bad}"`, () => {
        rejects(() => parseStageRef(bad), new RegExp(String.raw`^--stage must look like API:STAGE, e\.g\. pets-api:prod; got "${bad}"$`))
      })
    }

    it('rejects a bad stage name after the colon', () => {
      rejects(() => parseStageRef('pets:pr*d'), /^--stage: "pr\*d" is not a stage name/)
    })
  })

  describe('parseMethodKey and methodKey', () => {
    it('parses a resource path and method, upper-casing the method', () => {
      assert.deepEqual(parseMethodKey('/pets/GET', '--f'), {path: '/pets', httpMethod: 'GET'})
      assert.deepEqual(parseMethodKey('/pets/{id}/delete', '--f'), {path: '/pets/{id}', httpMethod: 'DELETE'})
    })
    it('reads //GET as the root resource, as AWS keys it', () => {
      assert.deepEqual(parseMethodKey('//GET', '--f'), {path: '/', httpMethod: 'GET'})
    })
    it('builds the AWS key back: path, "/", method', () => {
      assert.equal(methodKey({path: '/pets', httpMethod: 'GET'}), '/pets/GET')
      assert.equal(methodKey({path: '/', httpMethod: 'GET'}), '//GET')
    })
    for (const bad of ['pets/GET', '/pets/FETCH', '/pets', '/pets/GET1', '/GET']) {
      it(`rejects "${bad}"`, () => {
        rejects(
          () => parseMethodKey(bad, '--method-throttle'),
          /^--method-throttle: ".*" is not a method; write the resource path then the HTTP method, e\.g\. \/pets\/GET or \/\/GET for the root$/,
        )
      })
    }
  })

  describe('parseMethodThrottle', () => {
    it('parses /path/METHOD=RATE/BURST', () => {
      assert.deepEqual(parseMethodThrottle('/pets/POST=0.5/1'), {path: '/pets', httpMethod: 'POST', rateLimit: 0.5, burstLimit: 1})
    })
    it('rejects a missing =', () => {
      rejects(
        () => parseMethodThrottle('/pets/GET'),
        /^--method-throttle must look like \/path\/METHOD=RATE\/BURST, e\.g\. \/pets\/GET=10\/20; got "\/pets\/GET"$/,
      )
    })
    it('rejects limits that are not RATE/BURST', () => {
      rejects(() => parseMethodThrottle('/pets/GET=10'), /^--method-throttle: "10" must be RATE\/BURST, e\.g\. 10\/20$/)
      rejects(() => parseMethodThrottle('/pets/GET=1/2/3'), /"1\/2\/3" must be RATE\/BURST/)
    })
    it('validates the rate and the burst, naming them', () => {
      rejects(() => parseMethodThrottle('/pets/GET=fast/2'), /^--method-throttle rate must be a number of requests per second, 0 or more; got "fast"$/)
      rejects(() => parseMethodThrottle('/pets/GET=1/2.5'), /^--method-throttle burst must be a whole number of requests, 0 or more; got "2.5"$/)
    })
  })

  describe('parseStageMethodThrottle', () => {
    it('parses API:STAGE:/path/METHOD=RATE/BURST', () => {
      assert.deepEqual(parseStageMethodThrottle('pets-api:prod:/pets/{id}/GET=10/20'), {
        api: 'pets-api',
        stage: 'prod',
        path: '/pets/{id}',
        httpMethod: 'GET',
        rateLimit: 10,
        burstLimit: 20,
      })
      assert.equal(parseStageMethodThrottle('a1:prod://GET=1/1').path, '/')
    })
    for (const bad of ['/pets/GET=10/20', 'pets:/pets/GET=1/2', 'prod:/pets/GET=1/2']) {
      it(`rejects "${bad}" without API and stage`, () => {
        rejects(
          () => parseStageMethodThrottle(bad),
          /^--method-throttle must look like API:STAGE:\/path\/METHOD=RATE\/BURST, e\.g\. pets-api:prod:\/pets\/GET=10\/20; got/,
        )
      })
    }

    it('rejects a bad stage name', () => {
      rejects(() => parseStageMethodThrottle('pets:pr od:/pets/GET=1/2'), /^--method-throttle: "pr od" is not a stage name/)
    })
  })

  describe('parseTag', () => {
    it('splits at the first =, so values may contain =', () => {
      assert.deepEqual(parseTag('team=payments'), {key: 'team', value: 'payments'})
      assert.deepEqual(parseTag('expr=a=b'), {key: 'expr', value: 'a=b'})
      assert.deepEqual(parseTag('empty='), {key: 'empty', value: ''})
    })
    it('rejects a tag without key or =', () => {
      rejects(() => parseTag('team'), /^--tag must look like KEY=VALUE; got "team"$/)
      rejects(() => parseTag('=x'), /got "=x"/)
    })
  })

  describe('parseDuration', () => {
    it('reads seconds by default, and ms, s, m and h', () => {
      assert.equal(parseDuration('10', '--window'), 10_000)
      assert.equal(parseDuration('0', '--window'), 0)
      assert.equal(parseDuration('1.5s', '--window'), 1500)
      assert.equal(parseDuration('250ms', '--window'), 250)
      assert.equal(parseDuration(' 2m ', '--window'), 120_000)
      assert.equal(parseDuration('1h', '--window'), 3_600_000)
    })
    for (const bad of ['', '-1', '1d', '10 s', 'ten', '1e3', '.5']) {
      it(`rejects "${bad}" naming the flag and the value`, () => {
        rejects(
          () => parseDuration(bad, '--window'),
          new RegExp(`^--window must be a duration, 0 or more, in seconds or with a unit: 10, 10s, 500ms, 1.5m, 2h; got "${bad}"$`),
        )
      })
    }
  })

  describe('parseDate', () => {
    it('reads a date as midnight UTC, and a date and time with its zone', () => {
      assert.equal(parseDate('2026-11-28', '--from').toISOString(), '2026-11-28T00:00:00.000Z')
      assert.equal(parseDate('2026-11-28T09:30:00Z', '--from').toISOString(), '2026-11-28T09:30:00.000Z')
      assert.equal(parseDate('2026-11-28T09:30+02:00', '--from').toISOString(), '2026-11-28T07:30:00.000Z')
      assert.equal(parseDate('2026-11-28 09:30:15.250Z', '--from').toISOString(), '2026-11-28T09:30:15.250Z')
    })
    for (const bad of ['', 'yesterday', '2026-11-28T09:30', '2026-13-01', '2026-02-30T00:00Z', '28/11/2026', '1764322200']) {
      it(`rejects "${bad}": no zone is guessed`, () => {
        rejects(
          () => parseDate(bad, '--from'),
          /^--from must be a date \(2026-11-28, read as UTC\) or a date and time with its zone \(2026-11-28T09:30:00Z\); got ".*"$/,
        )
      })
    }
  })

  describe('names, Regions, endpoints and seconds (issue 13: refused with the flag named, exit 2)', () => {
    it('parseName refuses empty and blank names, and keeps any other as typed', () => {
      assert.equal(parseName('gold plan'), 'gold plan')
      rejects(() => parseName(''), /^--name must not be empty or blank; got ""$/)
      rejects(() => parseName('   ', '--new-name'), /^--new-name must not be empty or blank; got " {3}"$/)
    })

    it("parseRegion takes AWS's Region names and refuses the rest", () => {
      for (const region of ['us-east-1', 'eu-central-2', 'us-gov-west-1', 'ap-southeast-5']) assert.equal(parseRegion(region), region)
      for (const bad of ['', ' ', 'US-EAST-1', 'us east 1', 'useast1', 'us-east-1 '])
        rejects(() => parseRegion(bad), /^--region must be an AWS Region such as us-east-1; got /)
    })

    it('parseEndpointUrl takes http and https URLs only', () => {
      assert.equal(parseEndpointUrl('http://127.0.0.1:5000'), 'http://127.0.0.1:5000')
      assert.equal(parseEndpointUrl('https://apigateway.example.com'), 'https://apigateway.example.com')
      for (const bad of ['ftp://127.0.0.1', 'file:///etc/passwd', '127.0.0.1:5000', '', 'http://']) {
        rejects(() => parseEndpointUrl(bad), /^--endpoint-url must be an http:\/\/ or https:\/\/ URL, such as http:\/\/127\.0\.0\.1:5000; got /)
      }
    })

    it('parseSeconds takes a positive number of seconds; parseWaitSeconds also 0', () => {
      assert.equal(parseSeconds('30', '--timeout'), 30)
      assert.equal(parseSeconds('2.5', '--timeout'), 2.5)
      for (const bad of ['0', '-1', ' 5', 'ten', '3601', '1e2'])
        rejects(() => parseSeconds(bad, '--timeout'), /^--timeout must be a number of seconds above 0 and at most 3600/)
      assert.equal(parseWaitSeconds('0', '--max-wait'), 0)
      rejects(() => parseWaitSeconds('-1', '--max-wait'), /^--max-wait must be a number of seconds from 0 to 3600/)
    })
  })
})
