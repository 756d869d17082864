import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DOCS = ['README.md', 'ARCHITECTURE.md', 'CONTRIBUTING.md', ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`)].filter((f) => f.endsWith('.md'))

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replaceAll(/[^\p{L}\p{N}\s-]/gu, '')
    .replaceAll(/\s/g, '-')

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(join(ROOT, file), 'utf8').replaceAll(/```[\s\S]*?```/g, '')
  return new Set([...text.matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1])))
}

describe('docs', () => {
  it('every relative link points at a file and heading that exist', () => {
    const broken: string[] = []
    for (const doc of DOCS) {
      const text = readFileSync(join(ROOT, doc), 'utf8').replaceAll(/```[\s\S]*?```/g, '')
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue
        const [path, anchor] = target.split('#')
        const file = path === '' ? doc : relative(ROOT, join(ROOT, dirname(doc), path))
        if (!existsSync(join(ROOT, file))) broken.push(`${doc}: ${target} (no such file)`)
        else if (anchor && file.endsWith('.md') && !anchorsOf(file).has(anchor)) broken.push(`${doc}: ${target} (no such heading)`)
      }
    }

    assert.deepEqual(broken, [])
  })

  it('the README stays a short tour for users', () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').length
    assert.ok(lines <= 300, `README.md has ${lines} lines; move detail into docs/ and link to it`)
  })
})
