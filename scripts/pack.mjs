#!/usr/bin/env node
// `npm run pack`: builds the three packages and packs them into packs/ with `pnpm pack`, exactly
// as they would be published, then prints the command that installs them into an app. This is
// how to use tokenkeep before it is on the npm registry (README: Install).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import { packPackages, ROOT } from '../consumers/lib/scratch.mjs'

if (!existsSync(join(ROOT, 'node_modules', '.modules.yaml'))) {
  const r = spawnSync('pnpm', ['install', '--frozen-lockfile'], { cwd: ROOT, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
const dest = join(ROOT, 'packs')
const tarballs = packPackages(dest)
console.log(`packed into ${relative(process.cwd(), dest) || '.'}:`)
for (const file of Object.values(tarballs)) console.log(`  ${relative(dest, file)}`)
console.log('\nin your app (adapters only if you use them):')
console.log(`  npm install ${Object.values(tarballs).join(' ')}`)
