// What a user installs, outside the workspace: the three packages packed with `pnpm pack` (as
// `pnpm publish` would pack them) and installed with npm from those tarballs into a scratch
// directory under os.tmpdir(), next to pinned versions from the npm registry. Used by the
// consumer suite (e2e/consumers.e2e.ts), the size budget (bench/size.test.ts) and `pnpm bench`.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const PACKAGES = ['core', 'react', 'vue']

/**
 * Exact versions the scratch apps install from the registry. The frameworks match the
 * workspace's own dev dependencies; react-router 7 is the newest line that runs on Node 20.
 */
export const VERSIONS = {
  typescript: '5.9.3',
  vite: '8.3.8',
  react: '19.3.1',
  'react-dom': '19.3.1',
  '@types/react': '19.3.0',
  '@types/react-dom': '19.3.0',
  'react-router': '7.18.7',
  vue: '3.5.45',
  'vue-router': '4.6.5',
  '@types/node': '20.19.43',
  next: '16.4.6',
}

/** Picks `names` from {@link VERSIONS}. */
export function pinned(...names) {
  return Object.fromEntries(names.map((n) => {
    if (!(n in VERSIONS)) throw new Error(`no pinned version for ${n}`)
    return [n, VERSIONS[n]]
  }))
}

function run(cmd, args, cwd, env) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 })
  if (r.error) throw r.error
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}\n${r.stdout}\n${r.stderr}`)
  return r.stdout
}

/** A fresh directory under os.tmpdir(), outside the workspace. */
export function scratchDir(prefix) {
  return mkdtempSync(join(tmpdir(), `tk-${prefix}-`))
}

/**
 * Packs the three packages into `dest` with `pnpm pack` (which runs each package's `prepack`,
 * the build, and turns `workspace:^` into the version range).
 * @returns {{ core: string, react: string, vue: string }} tarball paths
 */
export function packPackages(dest) {
  mkdirSync(dest, { recursive: true })
  const out = {}
  for (const name of PACKAGES) {
    const before = new Set(readdirSync(dest))
    run('pnpm', ['pack', '--pack-destination', dest], join(ROOT, 'packages', name), { NODE_ENV: 'production' })
    const made = readdirSync(dest).filter((f) => !before.has(f) && f.endsWith('.tgz'))
    const file = made.find((f) => f.startsWith(`tokenkeep-${name}-`)) ?? readdirSync(dest).find((f) => f.startsWith(`tokenkeep-${name}-`))
    if (!file) throw new Error(`pnpm pack made no tarball for ${name} in ${dest}`)
    out[name] = join(dest, file)
  }
  return out
}

/**
 * Writes a package.json into `dir` that depends on the tarballs and `deps`, and runs
 * `npm install` there. The adapters' dependency on `@tokenkeep/core` is overridden to the core
 * tarball, so nothing named @tokenkeep comes from the registry.
 * @param {string} dir
 * @param {{ core: string, react: string, vue: string }} tarballs
 * @param {Record<string, string>} deps exact versions (see {@link pinned})
 */
export function installScratch(dir, tarballs, deps) {
  const pkg = {
    name: 'tokenkeep-consumer',
    private: true,
    type: 'module',
    dependencies: {
      '@tokenkeep/core': `file:${tarballs.core}`,
      '@tokenkeep/react': `file:${tarballs.react}`,
      '@tokenkeep/vue': `file:${tarballs.vue}`,
      ...deps,
    },
    overrides: { '@tokenkeep/core': '$@tokenkeep/core' },
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`)
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], dir, { NODE_ENV: 'development' })
}

/** Copies one of the consumer app sources (consumers/<name>) into `dir/<name>`. */
export function copyApp(name, dir) {
  const target = join(dir, name)
  cpSync(join(ROOT, 'consumers', name), target, { recursive: true })
  return target
}

/** Removes a scratch directory. */
export function removeScratch(dir) {
  rmSync(dir, { recursive: true, force: true })
}
