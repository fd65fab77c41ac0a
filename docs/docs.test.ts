// @vitest-environment node
// The docs as CI checks them: the API reference builds from the JSDoc without one TypeDoc
// warning, every code block of the pages is a sample file shown as it is, and the samples
// type-check against the packages.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { codeBlocks, docsDir, pages, root, sampleFiles, sampleProblems, shownPart } from './samples.mjs'

function node(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } })
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` }
}

const modelPath = join(root, '.tmp', 'api.json')
const markdownPath = join(root, '.tmp', 'api-md')
let markdownWritten = false
const vueTsc = join(docsDir, 'node_modules', 'vue-tsc', 'bin', 'vue-tsc.js')

describe('API reference (TypeDoc)', () => {
  it('builds from every export of core, react, vue and vue/router with 0 warnings', () => {
    const run = node([join(docsDir, 'api.mjs'), '--json', modelPath, '--markdown', markdownPath])
    expect(run.output).not.toMatch(/\[warning\]|\[error\]/)
    expect(run.output).toContain('API reference: 0 warnings')
    expect(run.status).toBe(0)
    markdownWritten = true
  }, 120_000)

  it('the committed markdown reference (docs/api/) is what the JSDoc gives now (else: pnpm docs:api)', () => {
    // written by the test above in this run, or now (never a copy left by an earlier run)
    if (!markdownWritten) expect(node([join(docsDir, 'api.mjs'), '--markdown', markdownPath]).status).toBe(0)
    const files = (dir: string): string[] =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => relative(dir, join(e.parentPath, e.name)))
        .sort()
    const committed = join(docsDir, 'api')
    expect(files(committed), 'the pages of docs/api/ (run pnpm docs:api)').toEqual(files(markdownPath))
    const stale = files(markdownPath).filter((f) => readFileSync(join(committed, f), 'utf8') !== readFileSync(join(markdownPath, f), 'utf8'))
    expect(stale, 'docs/api/ pages that differ from the JSDoc (run pnpm docs:api)').toEqual([])
  }, 120_000)

  it('documents each entry point of the exports maps as its own module', async () => {
    const { entryPoints } = await import('./api.mjs')
    const names = entryPoints().map((e: { name: string }) => e.name)
    for (const pkg of ['core', 'react', 'vue']) {
      const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'))
      for (const subpath of Object.keys(manifest.exports)) {
        if (subpath === './package.json') continue
        expect(names).toContain(subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`)
      }
    }
    expect(names).toContain('@tokenkeep/vue/router')
  }, 60_000)

  it('every @example in the reference type-checks against the packages', async () => {
    if (!existsSync(modelPath)) expect(node([join(docsDir, 'api.mjs'), '--json', modelPath, '--markdown', markdownPath]).status).toBe(0)
    const { examples, writeExamples, examplesDir } = await import('./examples.mjs')
    const model = JSON.parse(readFileSync(modelPath, 'utf8'))
    // the exports with an example today: createAuthClient, AuthError, the stores, popup, silent,
    // authFetch, the React and Vue bindings and the router guard
    expect(examples(model).length).toBeGreaterThanOrEqual(15)
    expect(writeExamples(model).length).toBe(examples(model).length)
    const run = node([vueTsc, '-p', join(examplesDir, 'tsconfig.json'), '--noEmit', '--pretty', 'false'])
    expect(run.output.trim()).toBe('')
    expect(run.status).toBe(0)
  }, 180_000)

  it('fails on an undocumented export and on a broken {@link}', () => {
    const fixture = join(docsDir, 'test', 'fixtures')
    const script = `import(${JSON.stringify(join(docsDir, 'api.mjs'))}).then(m => m.buildApi({
      quiet: false, out: ${JSON.stringify(join(root, '.tmp', 'api-fixture'))},
      entries: [{ name: 'fixture', file: ${JSON.stringify(join(fixture, 'broken.ts'))} }],
      tsconfig: ${JSON.stringify(join(fixture, 'tsconfig.json'))},
    })).then(n => console.log('count=' + n))`
    const run = node(['--input-type=module', '-e', script])
    expect(run.output).toMatch(/undocumented.*does not have any documentation/)
    expect(run.output).toMatch(/DoesNotExist/)
    expect(run.output).toMatch(/count=[1-9]/)
  }, 120_000)
})

describe('code samples', () => {
  it('every ts, tsx and vue block in the READMEs and docs is a sample file, shown exactly', () => {
    expect(sampleProblems()).toEqual([])
  }, 30_000)

  it('the page check catches a block that drifted from its file', () => {
    const [file] = sampleFiles().filter((f: string) => !f.startsWith('support/'))
    expect(file).toBeDefined()
    const shown = shownPart(readFileSync(join(docsDir, 'samples', file!), 'utf8'))
    const page = `<!-- sample: ${file} -->\n\`\`\`ts\n${shown}\n\`\`\`\n`
    const [block] = codeBlocks(page)
    expect(block).toMatchObject({ sample: file, code: shown })
    expect(codeBlocks(page.replace(shown, `${shown}\n// changed`))[0]!.code).not.toBe(shown)
  }, 30_000)

  it('the samples type-check against the packages (vue-tsc, strict)', () => {
    // Every public entry point needs a path here, or samples would type-check against dist/.
    const tsconfig = readFileSync(join(docsDir, 'samples', 'tsconfig.json'), 'utf8')
    for (const pkg of ['core', 'react', 'vue']) {
      const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'))
      for (const subpath of Object.keys(manifest.exports)) {
        if (subpath === './package.json') continue
        expect(tsconfig).toContain(`"${subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`}"`)
      }
    }
    const run = node([vueTsc, '-p', join(docsDir, 'samples', 'tsconfig.json'), '--noEmit', '--pretty', 'false'])
    expect(run.output.trim()).toBe('')
    expect(run.status).toBe(0)
  }, 180_000)
})

describe('pages', () => {
  const read = (p: string) => readFileSync(join(root, p), 'utf8')

  it('the errors page explains every AuthErrorCode', () => {
    const source = read('packages/core/src/errors.ts')
    const union = /export type AuthErrorCode =([\s\S]*?)\n\n/.exec(source)?.[1] ?? ''
    const codes = [...union.matchAll(/'(ERR_[A-Z_]+)'/g)].map((m) => m[1]!)
    expect(codes.length).toBeGreaterThan(10)
    const page = read('docs/errors.md')
    expect(codes.filter((code) => !page.includes(`| \`${code}\` |`))).toEqual([])
  })

  it('the README is a front door: at most 250 lines, provider settings and a whole React and Vue app in the first 120', () => {
    const readme = read('README.md')
    const lines = readme.split('\n')
    expect(lines.length).toBeLessThanOrEqual(250)
    const lineOf = (text: string) => lines.findIndex((l) => l.includes(text)) + 1
    for (const setting of ['| redirect URI |', '| post-logout redirect URI |', '| web origin / CORS |', '| scopes |']) {
      expect(lineOf(setting), setting).toBeGreaterThan(0)
      expect(lineOf(setting), setting).toBeLessThanOrEqual(120)
    }
    const samples = codeBlocks(readme).filter((b: { sample: string | null }) => b.sample === 'readme/main.tsx' || b.sample === 'readme/main.ts')
    expect(samples.map((b: { sample: string }) => b.sample)).toEqual(['readme/main.tsx', 'readme/main.ts'])
    for (const block of samples) {
      // complete files: they create the client and mount the app themselves, nothing declared above a cut
      const source = readFileSync(join(docsDir, 'samples', block.sample), 'utf8')
      expect(source, block.sample).not.toMatch(/---cut---/)
      expect(block.code).toMatch(/createAuthClient\(/)
      expect(block.code).toMatch(/logout\(\)/)
      expect(block.line + block.code.split('\n').length + 1, `${block.sample} ends by line 120`).toBeLessThanOrEqual(120)
    }
  })

  it('the README links every provider, migration and recipe page', () => {
    const readme = read('README.md')
    for (const dir of ['providers', 'migration', 'recipes']) {
      for (const file of readdirSync(join(docsDir, dir))) {
        expect(readme, `README.md links docs/${dir}/${file}`).toContain(`(docs/${dir}/${file})`)
      }
    }
  })
})
