// What a user installs, outside the workspace: the three packages packed with `pnpm pack` (as
// `pnpm publish` would pack them) and installed with npm from those tarballs into a scratch
// directory under os.tmpdir(), next to pinned versions from the npm registry. Used by the
// consumer suite (e2e/consumers.e2e.ts), the size budget (bench/size.test.ts) and `pnpm bench`.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (with a trailing slash). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** The published packages, by directory under packages/. */
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
  // The Jest app (consumers/jest-app): Jest with jsdom, babel-jest for TypeScript and JSX.
  jest: '30.5.2',
  'jest-environment-jsdom': '30.5.2',
  'babel-jest': '30.5.2',
  '@babel/core': '7.29.17',
  '@babel/preset-env': '7.29.17',
  '@babel/preset-react': '7.29.17',
  '@babel/preset-typescript': '7.29.17',
  '@testing-library/react': '16.3.3',
  '@testing-library/dom': '10.4.2',
  '@testing-library/vue': '8.1.0',
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

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

/**
 * Runs `fn` while holding a lock shared by every process of this checkout (the unit and e2e
 * projects run at once, and a build empties dist/ that another process may be packing).
 */
function withLock(fn) {
  const lock = join(tmpdir(), `tk-pack-lock-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`)
  const deadline = Date.now() + 10 * 60_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch (e) {
      if (e.code !== 'EEXIST') throw e
      // A lock older than 5 minutes belongs to a process that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 5 * 60_000) rmSync(lock, { recursive: true, force: true })
      } catch {}
      if (Date.now() > deadline) throw new Error(`waited 10 minutes for ${lock}`)
      sleep(200)
    }
  }
  try {
    return fn()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

function newest(path) {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let t = 0
  for (const entry of readdirSync(path)) t = Math.max(t, newest(join(path, entry)))
  return t
}

/** Builds a package when its dist/ is missing or older than its sources or build config. */
function ensureBuilt(name) {
  const pkg = join(ROOT, 'packages', name)
  let built = 0
  try {
    built = statSync(join(pkg, 'dist', 'index.d.ts')).mtimeMs
  } catch {}
  const inputs = ['src', 'package.json', 'vite.config.ts', 'tsconfig.build.json'].map((f) => newest(join(pkg, f)))
  if (built === 0 || Math.max(...inputs, newest(join(ROOT, 'scripts', 'bundleTypes.mjs'))) > built) {
    run('pnpm', ['run', 'build'], pkg, { NODE_ENV: 'production' })
  }
}

/**
 * Packs the three packages into `dest` with `pnpm pack`, as `pnpm publish` would pack them
 * (`workspace:^` becomes the version range), building any whose dist/ is out of date first.
 * @returns {{ core: string, react: string, vue: string }} tarball paths
 */
export function packPackages(dest) {
  mkdirSync(dest, { recursive: true })
  return withLock(() => {
    const out = {}
    for (const name of PACKAGES) {
      ensureBuilt(name)
      const before = new Set(readdirSync(dest))
      run('pnpm', ['pack', '--pack-destination', dest], join(ROOT, 'packages', name))
      const file = readdirSync(dest).find((f) => !before.has(f) && f.startsWith(`tokenkeep-${name}-`) && f.endsWith('.tgz'))
      if (!file) throw new Error(`pnpm pack made no tarball for ${name} in ${dest}`)
      out[name] = join(dest, file)
    }
    return out
  })
}

/**
 * Writes a package.json into `dir` that depends on the tarballs and `deps`, and runs
 * `npm install` there, as the README's Install section says. The core tarball satisfies the
 * adapters' `@tokenkeep/core` range, so npm takes nothing named @tokenkeep from the registry
 * (the consumer suite checks that there is one copy).
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
