// The checks that keep the docs from drifting away from the code and the measurements:
//
// - strayNumbers: a size, ratio or time (`12.3 kB`, `1,234 B`, `0.92×`, `215 ms`) typed into a page
//   outside a generated `<!-- results:... -->` block (see results.mjs). Numbers that are not
//   measurements (a timer's period, a documented constant) are allowed one by one in ALLOWED.
// - brokenLinks: a relative link to a file that does not exist, a link to a heading that does not
//   exist, and, in what ships in the tarballs (package READMEs, JSDoc in packages/*/src), any link
//   that is not an absolute repository address (a relative one breaks once installed).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { pages, root, walk } from './samples.mjs'

export const REPO = 'https://github.com/tokenkeep/tokenkeep'
const REPO_FILE = /^https:\/\/github\.com\/tokenkeep\/tokenkeep\/(?:blob|tree)\/main\/([^#?\s)]+)(#[^\s)]*)?$/
const REPO_README = /^https:\/\/github\.com\/tokenkeep\/tokenkeep\/?(#[^\s)]*)?$/

/** Every markdown page the checks read: the sample-checked pages, the bench README, docs/api/. */
export function docPages() {
  const api = join(root, 'docs', 'api')
  const generated = existsSync(api) ? walkMd(api) : []
  return [...pages(), join(root, 'bench', 'README.md'), ...generated].filter((p) => existsSync(p))
}

/** Numbers that look like measurements but are not: each with why. Matched against the line. */
export const ALLOWED = [
  // constants of the code, documented as such
  { file: 'packages/core/docs/popup.md', text: /every 100 ms|250 ms|every 500 ms/, why: 'the popup watcher\'s periods (PROBE_MS, SEEN_AFTER_MS, pollMs in popup/runPopupLogin.ts)' },
  // targets of the project, not results
  { file: 'docs/size.md', text: /within 5 ms of/, why: 'the start-up target for \'indexeddb\' by name (issue 21)' },
]

const NUMBER = /(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s?(kB|KB|MB|B|×|ms)(?![\w])/g

/** Text of a page with code, inline code and generated blocks blanked (line numbers kept). */
export function proseOf(markdown) {
  const blank = (s) => s.replace(/[^\n]/g, ' ')
  return markdown
    .replace(/(?<!`)<!-- results:[^>]*-->[\s\S]*?<!-- \/results -->/g, blank)
    .replace(/^(\s*)(```+|~~~+)[^\n]*\n[\s\S]*?^\s*\2[^\n]*$/gm, blank)
    .replace(/`[^`\n]*`/g, blank)
    .replace(/<!--[\s\S]*?-->/g, blank)
}

/** Whether an occurrence of the allowed phrase spans the number at `index` (not just the same line). */
function covers(phrase, line, index, length) {
  for (const m of line.matchAll(new RegExp(phrase.source, 'g'))) {
    if (m.index <= index && index + length <= m.index + m[0].length) return true
  }
  return false
}

/** `file:line: "12.3 kB" in "...context..."` for every measurement typed by hand. */
export function strayNumbers(files = docPages().filter((p) => !p.includes('/docs/api/'))) {
  const problems = []
  for (const file of files) {
    const name = relative(root, file)
    const lines = proseOf(readFileSync(file, 'utf8')).split('\n')
    lines.forEach((line, i) => {
      for (const m of line.matchAll(NUMBER)) {
        if (ALLOWED.some((a) => a.file === name && covers(a.text, line, m.index, m[0].length))) continue
        const context = line.slice(Math.max(0, m.index - 30), m.index + m[0].length + 10).trim()
        problems.push(`${name}:${i + 1}: "${m[0]}" typed by hand in "…${context}…": take it from the results (<!-- results:... --> block, pnpm docs:results)`)
      }
    })
  }
  return problems
}

/** GitHub's heading anchors of a markdown file. */
export function anchorsOf(markdown) {
  const seen = new Map()
  const out = new Set()
  const text = markdown.replace(/^(\s*)(```+|~~~+)[^\n]*\n[\s\S]*?^\s*\2[^\n]*$/gm, '')
  for (const [, heading] of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}_\- ]/gu, '')
      .replace(/ /g, '-')
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n ? `${base}-${n}` : base)
  }
  for (const [, id] of text.matchAll(/<a (?:id|name)="([^"]+)"/g)) out.add(id)
  return out
}

/** Pages that ship inside a package tarball: links there must be absolute repository links. */
const shipped = (file) => /^packages\/[^/]+\/README\.md$/.test(relative(root, file))

function checkTarget(from, target, problems, label) {
  let file
  let anchor
  const repoFile = REPO_FILE.exec(target)
  const repoReadme = REPO_README.exec(target)
  if (repoFile) {
    file = join(root, decodeURI(repoFile[1]))
    anchor = repoFile[2]
  } else if (repoReadme) {
    file = join(root, 'README.md')
    anchor = repoReadme[1]
  } else if (/^[a-z][\w+.-]*:/i.test(target)) {
    if (target.startsWith(`${REPO}/`) && !/\/(issues|pulls|security|releases)(\/|$)/.test(target)) {
      problems.push(`${label} -> ${target}: a repository link must be ${REPO}/blob/main/<path> (or /tree/main/ for a folder)`)
    }
    return
  } else if (target.startsWith('#')) {
    file = from
    anchor = target
  } else {
    const [path, hash] = target.split('#')
    file = join(dirname(from), decodeURI(path))
    anchor = hash === undefined ? undefined : `#${hash}`
  }
  if (!existsSync(file)) {
    problems.push(`${label} -> ${target}: no such file`)
    return
  }
  if (anchor && anchor !== '#readme' && anchor.length > 1 && file.endsWith('.md') && statSync(file).isFile()) {
    if (!anchorsOf(readFileSync(file, 'utf8')).has(decodeURIComponent(anchor.slice(1)))) {
      problems.push(`${label} -> ${target}: no heading "${anchor}" in ${relative(root, file)}`)
    }
  }
}

/** Every broken link of the pages and of the JSDoc, as readable lines. */
export function brokenLinks(files = docPages(), sources = sourceFiles()) {
  const problems = []
  for (const page of files) {
    const name = relative(root, page)
    // code is blanked, not removed, so the line numbers stay those of the page
    const blank = (x) => x.replace(/[^\n]/g, ' ')
    const text = readFileSync(page, 'utf8').replace(/^(\s*)(```+|~~~+)[^\n]*\n[\s\S]*?^\s*\2[^\n]*$/gm, blank).replace(/`[^`\n]*`/g, blank)
    for (const m of text.matchAll(/\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)) {
      const target = m[1]
      const label = `${name}:${text.slice(0, m.index).split('\n').length}`
      if (shipped(page) && !/^[a-z][\w+.-]*:/i.test(target) && !target.startsWith('#')) {
        problems.push(`${label} -> ${target}: ships in the tarball, so it must be an absolute link (${REPO}/blob/main/...)`)
        continue
      }
      checkTarget(page, target, problems, label)
    }
  }
  for (const file of sources) {
    const name = relative(root, file)
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const label = `${name}:${i + 1}`
        for (const m of line.matchAll(/https:\/\/github\.com\/tokenkeep\/tokenkeep[^\s)|}'"`]*/g)) checkTarget(file, m[0], problems, label)
        const bare = line.replace(/https?:\/\/\S+/g, '')
        for (const m of bare.matchAll(/(?<![\w/.-])((?:\.\.?\/|docs\/|packages\/)[\w./-]*\.md)\b/g)) {
          problems.push(`${label} -> ${m[1]}: JSDoc ships in the tarball, so link ${REPO}/blob/main/... instead`)
        }
      })
  }
  return problems
}

/** The packages' sources whose JSDoc ships (tests left out). */
export function sourceFiles() {
  const out = []
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const src = join(root, 'packages', pkg, 'src')
    if (existsSync(src)) out.push(...walk(src, (p) => /\.(ts|tsx)$/.test(p) && !/\.test\.tsx?$/.test(p) && !p.includes('/test/')))
  }
  return out
}

const walkMd = (dir) => walk(dir, (p) => p.endsWith('.md'))
