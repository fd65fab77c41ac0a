// The rule that keeps the docs' code honest: every TypeScript, TSX or Vue code block in a page is
// the visible part of a file under docs/samples/, which vue-tsc type-checks against the packages.
//
// In a page, a block is tied to its file by the comment line just above it:
//
//   <!-- sample: recipes/callingApis.ts -->
//   ```ts
//   ...the file from the line after `// ---cut---` (or `<!-- ---cut--- -->`) to its end...
//   ```
//
// Above the cut a file may declare what the shown part needs (`declare const button: ...`).
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const docsDir = dirname(fileURLToPath(import.meta.url))
export const root = join(docsDir, '..')
export const samplesDir = join(docsDir, 'samples')
const CHECKED = new Set(['ts', 'tsx', 'typescript', 'js', 'javascript', 'jsx', 'vue'])
const CUT = /^(\/\/ ---cut---|<!-- ---cut--- -->)\n/m

/** The pages whose code blocks must all be samples: the docs, the READMEs. */
export function pages() {
  const found = [join(root, 'README.md')]
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const dir = join(root, 'packages', pkg)
    found.push(...walk(dir, (p) => p.endsWith('.md') && !p.includes('node_modules') && !p.includes(`${dir}/dist`)))
  }
  // docs/api/ is TypeDoc's output: its code blocks come from the JSDoc, checked by examples.mjs
  found.push(...walk(docsDir, (p) => p.endsWith('.md') && !p.includes('node_modules') && !p.startsWith(join(docsDir, 'api') + '/')))
  for (const name of ['CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md']) found.push(join(root, name))
  return found.filter((p) => statSync(p, { throwIfNoEntry: false })?.isFile())
}

/** Sample files (paths relative to docs/samples). */
export function sampleFiles() {
  return walk(samplesDir, (p) => /\.(ts|tsx|vue)$/.test(p) && !p.includes('node_modules')).map((p) =>
    relative(samplesDir, p),
  )
}

/** What a page shows of a sample: the part after the cut, or all of it. */
export function shownPart(source) {
  const m = CUT.exec(source)
  return (m ? source.slice(m.index + m[0].length) : source).replace(/\s+$/, '')
}

/** Every fenced code block of a page: `{ line, lang, code, sample }` (sample: the tied file or null). */
export function codeBlocks(markdown) {
  const lines = markdown.split('\n')
  const blocks = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+|~~~+)\s*([\w-]*)/.exec(lines[i])
    if (!open) continue
    const [, indent, fence, lang] = open
    const body = []
    let j = i + 1
    for (; j < lines.length && !lines[j].trimStart().startsWith(fence); j++) body.push(lines[j].slice(indent.length))
    const before = lines.slice(0, i).reverse().find((l) => l.trim() !== '') ?? ''
    const tie = /^\s*<!--\s*sample:\s*(\S+)\s*-->\s*$/.exec(before)
    blocks.push({ line: i + 1, lang: lang.toLowerCase(), code: body.join('\n').replace(/\s+$/, ''), sample: tie ? tie[1] : null })
    i = j
  }
  return blocks
}

/** The problems that break the rule, as readable lines (empty when the docs are in order). */
export function sampleProblems() {
  const problems = []
  const used = new Set()
  for (const page of pages()) {
    const name = relative(root, page)
    for (const block of codeBlocks(readFileSync(page, 'utf8'))) {
      if (block.sample) used.add(block.sample)
      if (!CHECKED.has(block.lang)) {
        if (block.sample) problems.push(`${name}:${block.line}: a sample must be a ts, tsx or vue block, not "${block.lang}"`)
        continue
      }
      if (!block.sample) {
        problems.push(`${name}:${block.line}: a ${block.lang} block with no "<!-- sample: file -->" line above it`)
        continue
      }
      let source
      try {
        source = readFileSync(join(samplesDir, block.sample), 'utf8')
      } catch {
        problems.push(`${name}:${block.line}: sample ${block.sample} does not exist under docs/samples`)
        continue
      }
      if (shownPart(source) !== block.code) {
        problems.push(`${name}:${block.line}: the block differs from docs/samples/${block.sample} (below its cut)`)
      }
    }
  }
  for (const file of sampleFiles()) {
    // support/ holds stand-ins; an auth.ts is the shared client its folder's samples import
    if (!used.has(file) && !file.startsWith('support/') && !/(^|\/)auth\.ts$/.test(file)) problems.push(`docs/samples/${file}: shown on no page`)
  }
  return problems
}

/**
 * Rewrites the tied blocks of every page from their sample files (what `--write` does), so a
 * sample is edited in one place: its file. Returns the pages it changed.
 */
export function writeSamples() {
  const changed = []
  for (const page of pages()) {
    const lines = readFileSync(page, 'utf8').split('\n')
    const out = []
    let tie = null
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]
      const open = /^(\s*)(```+|~~~+)\s*([\w-]*)/.exec(line)
      if (open && tie) {
        const [, indent, fence] = open
        let j = i + 1
        while (j < lines.length && !lines[j].trimStart().startsWith(fence)) j++
        let source = null
        try {
          source = readFileSync(join(samplesDir, tie), 'utf8')
        } catch {}
        out.push(line)
        if (source === null) out.push(...lines.slice(i + 1, j))
        else out.push(...shownPart(source).split('\n').map((l) => (l === '' ? '' : indent + l)))
        if (j < lines.length) out.push(lines[j])
        i = j
        tie = null
        continue
      }
      const m = /^\s*<!--\s*sample:\s*(\S+)\s*-->\s*$/.exec(line)
      if (m) tie = m[1]
      else if (line.trim() !== '') tie = null
      out.push(line)
    }
    const next = out.join('\n')
    if (next !== lines.join('\n')) {
      writeFileSync(page, next)
      changed.push(relative(root, page))
    }
  }
  return changed
}

/** Every file under `dir` that `keep` accepts (node_modules and dist left out), sorted. */
export function walk(dir, keep) {
  const out = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...walk(p, keep))
    } else if (keep(p)) out.push(p)
  }
  return out.sort()
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--write')) for (const page of writeSamples()) console.log(`updated ${page}`)
  const problems = sampleProblems()
  for (const p of problems) console.error(p)
  if (problems.length) process.exit(1)
  console.log('docs samples: every code block is a sample file')
}
