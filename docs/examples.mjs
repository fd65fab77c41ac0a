// The API reference's code samples are the `@example` blocks of the JSDoc. This turns each one
// (from TypeDoc's JSON model) into a file under docs/.examples/ (git-ignored) that vue-tsc can
// type-check: what an example uses without defining it (the module's own exports, `auth`,
// `options`, a component) is imported or declared above it, the way a reader would assume.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { docsDir } from './samples.mjs'

export const examplesDir = join(docsDir, '.examples')

const DECLARED = {
  issuer: 'declare const issuer: string',
  clientId: 'declare const clientId: string',
  redirectUri: 'declare const redirectUri: string',
  options: "declare const options: import('@tokenkeep/core').AuthClientOptions",
  auth: "declare const auth: import('@tokenkeep/core').AuthClient",
  profile: 'declare const profile: unknown',
  button: 'declare const button: HTMLButtonElement',
  el: 'declare const el: HTMLElement',
  draft: 'declare const draft: string',
  myTelemetry: 'declare const myTelemetry: { record(name: string, data: unknown): void }',
  telemetry: 'declare const telemetry: { track(event: string, data: unknown): void }',
}
const IMPORTED = {
  createRoot: "import { createRoot } from 'react-dom/client'",
  createApp: "import { createApp } from 'vue'",
  createRouter: "import { createRouter } from 'vue-router'",
  createWebHistory: "import { createWebHistory } from 'vue-router'",
  App: "import App from '../samples/support/App.vue'",
  Home: "import Home from '../samples/support/Home.vue'",
  Orders: "import { Orders } from '../samples/support/pages'",
}

const REACT_COMPONENTS = {
  App: "import { Home as App } from '../samples/support/pages'",
  Home: "import { Home } from '../samples/support/pages'",
}

/** `[{ module, name, lang, code }]` for every `@example` in TypeDoc's JSON model. */
export function examples(model) {
  const found = []
  const walk = (node, module) => {
    const mod = node.kind === 2 ? node.name : module
    const comments = [node.comment, ...(node.signatures ?? []).map((s) => s.comment)].filter(Boolean)
    for (const comment of comments) {
      for (const tag of comment.blockTags ?? []) {
        if (tag.tag !== '@example') continue
        const text = tag.content.map((part) => part.text).join('')
        for (const m of text.matchAll(/```(\w+)\n([\s\S]*?)```/g)) {
          found.push({ module: mod, name: node.name, lang: m[1], code: m[2] })
        }
      }
    }
    for (const child of node.children ?? []) walk(child, mod)
  }
  walk(model, undefined)
  return found
}

function exportsOf(model, moduleName) {
  const mod = (model.children ?? []).find((c) => c.name === moduleName)
  // values only (functions, classes, variables); types are imported with `import type` below
  return (mod?.children ?? []).map((c) => ({ name: c.name, value: [64, 128, 32].includes(c.kind) }))
}

/** Writes one file per example plus a tsconfig; returns the files written. */
export function writeExamples(model) {
  rmSync(examplesDir, { recursive: true, force: true })
  mkdirSync(examplesDir, { recursive: true })
  const files = []
  examples(model).forEach((example, i) => {
    const code = example.code
    const defined = (name) =>
      new RegExp(`(import[^;\\n]*\\b${name}\\b[^;\\n]*from|\\b(const|let|function|class|interface|type)\\s+${name}\\b)`).test(code)
    // not a property (`x.name`), but a spread (`...name`) counts
    const used = (name) => new RegExp(`(?<!(?<!\\.)\\.)(?<![\\w$'"])${name}\\b`).test(code)
    const lines = []
    const modules = [example.module, '@tokenkeep/core'].filter((m, k, all) => all.indexOf(m) === k)
    for (const module of modules) {
      for (const { name, value } of exportsOf(model, module)) {
        if (!used(name) || defined(name) || lines.some((l) => new RegExp(`\\b${name}\\b`).test(l))) continue
        lines.push(`import ${value ? '' : 'type '}{ ${name} } from '${module}'`)
      }
    }
    const components = example.lang === 'tsx' ? REACT_COMPONENTS : {}
    for (const [name, line] of Object.entries({ ...IMPORTED, ...components })) {
      if (used(name) && !defined(name)) lines.push(line)
    }
    for (const [name, line] of Object.entries(DECLARED)) if (used(name) && !defined(name)) lines.push(line)
    const slug = `${String(i).padStart(2, '0')}-${example.module.replace(/\W+/g, '-')}-${example.name}`
    let file, text
    if (example.lang === 'vue') {
      file = `${slug}.vue`
      text = code.replace(/<script setup lang="ts">\n/, (open) => `${open}${lines.join('\n')}\n`)
    } else {
      file = `${slug}.${example.lang === 'tsx' ? 'tsx' : 'ts'}`
      text = `${lines.join('\n')}\nexport {}\n${code}`
    }
    writeFileSync(join(examplesDir, file), text)
    files.push(file)
  })
  writeFileSync(
    join(examplesDir, 'tsconfig.json'),
    JSON.stringify({ extends: '../samples/tsconfig.json', include: ['*.ts', '*.tsx', '*.vue', '../samples/support/*.d.ts'] }, null, 2),
  )
  return files
}

if (process.argv[1] && process.argv[1].endsWith('examples.mjs')) {
  const model = JSON.parse(readFileSync(process.argv[2], 'utf8'))
  console.log(writeExamples(model).join('\n'))
}
