// The benchmark's app outside the workspace: tokenkeep's packed tarballs (and, for `pnpm bench`,
// the peer SDKs at the versions bench/package.json pins) installed with npm into a scratch
// directory under os.tmpdir(), with bench/scenarios and bench/pages copied beside them. Building
// there measures what an app that installs the packages gets, not the workspace's sources.
import { cpSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { installScratch, packPackages, removeScratch, scratchDir } from '../../consumers/lib/scratch.mjs'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const FRAMEWORKS = ['react', 'vue', 'vue-router']

/**
 * Packs, installs and copies; returns the directory and a function that removes it.
 * @param {{ peers?: boolean }} options `peers: true` installs the peer SDKs too (the size table
 *   and the browser pages need them; the size budget does not).
 * @returns {{ root: string, version(pkg: string): string, remove(): void }}
 */
export function prepareInstalled({ peers = false } = {}) {
  const root = scratchDir('bench')
  const bench = JSON.parse(readFileSync(here('../package.json'), 'utf8'))
  const pins = Object.entries(bench.devDependencies).filter(
    ([name, v]) => !v.startsWith('workspace:') && !name.startsWith('@types/') && (peers || FRAMEWORKS.includes(name)),
  )
  try {
    const tarballs = packPackages(join(root, 'packs'))
    installScratch(root, tarballs, Object.fromEntries(pins))
    cpSync(here('../scenarios'), join(root, 'scenarios'), { recursive: true })
    cpSync(here('../pages'), join(root, 'pages'), { recursive: true })
  } catch (e) {
    removeScratch(root)
    throw e
  }
  return {
    root,
    version: (pkg) => JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version,
    remove: () => removeScratch(root),
  }
}
