#!/usr/bin/env node
// `node bench/budget.mjs`: writes bench/size-budget.json from bench/results.json (the last
// `pnpm bench`), about 3 % over each measured size; a feature's start delta gets 3 % plus 20 B,
// since a few bytes of gzip noise are a large share of a small delta. Run it when code leaves (the
// budget comes down) or in the commit that adds a feature, which names the feature and the bytes.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const { size, commit } = JSON.parse(readFileSync(here('results.json'), 'utf8'))
const over = (bytes, extra = 0) => Math.ceil((bytes * 1.03 + extra) / 10) * 10

const budget = {
  $comment:
    `min+gzip bytes, about 3 % over what \`pnpm bench\` measured at ${commit} (node bench/budget.mjs). startGzip: what a page load downloads (Vite's preload helper apart); ` +
    'loadsGzip: start plus the chunks login, callback, renewal and logout load; allGzip: every chunk; feature:<id> startDeltaGzip: what that opt-in feature adds at start when used. ' +
    'Checked by bench/size.test.ts in `npm test`. Raise a budget only in the commit that needs it, naming the feature and the measured bytes.',
}
for (const [id, e] of Object.entries(size.entries)) {
  budget[id] = id === 'react' || id === 'vue' ? { allGzip: over(e.allGzip) } : { startGzip: over(e.startGzip), loadsGzip: over(e.loadsGzip), allGzip: over(e.allGzip) }
}
budget['esbuild:scenario'] = { startGzip: over(size.esbuild.scenario.startGzip), loadsGzip: over(size.esbuild.scenario.loadsGzip) }
for (const [id, f] of Object.entries(size.features)) budget[`feature:${id}`] = { startDeltaGzip: over(Math.max(0, f.startDeltaGzip), 20) }
writeFileSync(here('size-budget.json'), `${JSON.stringify(budget, null, 2)}\n`)
console.log(`wrote ${here('size-budget.json')}`)
