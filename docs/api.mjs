#!/usr/bin/env node
// Builds the API reference with TypeDoc from the JSDoc of every public entry point of the three
// packages, and fails on any warning (an undocumented export, a broken {@link}, a type that is
// used but not exported). The entry points come from each package's `exports` map, so a new
// subpath export is documented, and checked, without touching this file.
//
//   pnpm docs:api            writes the committed markdown reference to docs/api/ (and the HTML
//                            one to .tmp/api, git-ignored); the docs test fails when docs/api/ is
//                            not what this writes now, so run it after changing any JSDoc
//   pnpm docs:api --json F   also writes TypeDoc's JSON model to F
//   pnpm docs:api --markdown D   writes the markdown reference to D instead of docs/api/
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Application, LogLevel } from 'typedoc'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')
const PACKAGES = ['core', 'react', 'vue']

/** `{ name: '@tokenkeep/vue/router', file: '<abs>/packages/vue/src/router.ts' }` for each export. */
export function entryPoints() {
  const entries = []
  for (const dir of PACKAGES) {
    const pkgDir = join(root, 'packages', dir)
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      if (subpath === './package.json') continue
      const types = typeof target === 'string' ? target : (target.types ?? target.import?.types)
      if (typeof types !== 'string') throw new Error(`${pkg.name}: export ${subpath} has no types`)
      // ./dist/foo.d.ts (or ./dist/foo/index.d.ts) is emitted from ./src/foo.ts(x)
      const stem = types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '')
      const file = ['.ts', '.tsx'].map((ext) => join(pkgDir, stem + ext)).find((f) => existsSync(f))
      if (!file) throw new Error(`${pkg.name}: no source for ${types}`)
      entries.push({ name: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`, file })
    }
  }
  return entries
}

/** Runs TypeDoc; resolves to the number of errors + warnings it logged (0 means clean). */
export async function buildApi({
  out = join(root, '.tmp', 'api'),
  json,
  markdown,
  quiet = false,
  entries = entryPoints(),
  tsconfig = join(here, 'tsconfig.api.json'),
} = {}) {
  // Each entry file names its module with `@module`, so the reference says `@tokenkeep/vue/router`
  // rather than a path; a missing or different name is a failure too.
  let problems = 0
  for (const { name, file } of entries) {
    const head = readFileSync(file, 'utf8').slice(0, 2000)
    if (!new RegExp(`@module\\s+${name.replace(/[/.]/g, '\\$&')}\\s`).test(head)) {
      console.error(`[error] ${relative(root, file)}: its first comment must say "@module ${name}"`)
      problems++
    }
  }
  const app = await Application.bootstrapWithPlugins({
    options: join(here, 'typedoc.json'),
    entryPoints: entries.map((e) => e.file),
    tsconfig,
    logLevel: quiet ? LogLevel.Error : LogLevel.Info,
    // The markdown reference (typedoc-plugin-markdown) is committed under docs/api/, so it reads on
    // GitHub without a build; one page per entry point.
    plugin: ['typedoc-plugin-markdown'],
    outputFileStrategy: 'modules',
    entryFileName: 'README.md',
    hidePageHeader: true,
    hideBreadcrumbs: true,
    useHTMLAnchors: true,
    useCodeBlocks: true,
    expandObjects: true,
    parametersFormat: 'table',
    interfacePropertiesFormat: 'table',
    typeDeclarationFormat: 'table',
  })
  const project = await app.convert()
  if (!project) return problems + 1
  app.validate(project)
  if (app.logger.hasErrors() || app.logger.hasWarnings()) {
    return problems + app.logger.errorCount + app.logger.warningCount
  }
  await app.generateDocs(project, out)
  if (json) await app.generateJson(project, json)
  if (markdown) {
    rmSync(markdown, { recursive: true, force: true })
    await app.outputs.writeOutput({ name: 'markdown', path: markdown }, project)
  }
  return problems + app.logger.errorCount + app.logger.warningCount
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--json')
  const m = process.argv.indexOf('--markdown')
  const markdown = m > 0 ? resolve(process.argv[m + 1]) : join(here, 'api')
  const count = await buildApi({ json: i > 0 ? resolve(process.argv[i + 1]) : undefined, markdown })
  if (count > 0) {
    console.error(`API reference: ${count} error(s)/warning(s)`)
    process.exit(1)
  }
  console.log(`API reference: 0 warnings, written to ${relative(process.cwd(), markdown) || '.'} (markdown) and ${relative(process.cwd(), join(root, '.tmp', 'api'))} (HTML)`)
}
