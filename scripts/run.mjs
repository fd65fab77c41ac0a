#!/usr/bin/env node
// One entry point for the README's two commands, so they work on a fresh machine with only
// Node 20 and npm: `npm run demo` and `npm test` (and `npm run bench`). It installs pnpm (pinned, through npx: corepack
// is not dependable everywhere) and the workspace dependencies when they are missing, installs
// Chromium for the browser tests when it is missing and we may (root + apt-get), then runs.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PNPM_VERSION = '10.34.8'
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const [task, ...args] = process.argv.slice(2)
// `pnpm test -- --flag` passes the `--` through (npm strips it); vitest would ignore what follows.
const rest = args[0] === '--' ? args.slice(1) : args

function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts })
  if (result.error) throw result.error
  return result.status ?? 1
}

function pnpm() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' })
  if (probe.status === 0 && probe.stdout.trim().startsWith('10.')) return ['pnpm']
  return ['npx', '--yes', `pnpm@${PNPM_VERSION}`]
}

function ensureDependencies(pm) {
  if (existsSync(join(root, 'node_modules', '.modules.yaml'))) return
  console.log('> installing dependencies (first run)')
  const status = run(pm[0], [...pm.slice(1), 'install', '--frozen-lockfile'])
  if (status !== 0) process.exit(status)
}

function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (existsSync(path)) return
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  if (root && existsSync('/usr/bin/apt-get')) {
    console.log('> installing Chromium for the browser tests (apt-get install chromium)')
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    if (run('apt-get', ['update', '-qq'], { env }) === 0 && run('apt-get', ['install', '-y', '-qq', 'chromium'], { env }) === 0) return
  }
  console.error(`Chromium not found at ${path}. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.`)
  process.exit(1)
}

const pm = pnpm()
ensureDependencies(pm)

if (task === 'demo') {
  process.exit(run(process.execPath, [join(root, 'demo', 'start.mjs'), ...rest]))
} else if (task === 'test') {
  ensureChromium()
  const build = run(pm[0], [...pm.slice(1), '-r', '--filter', './packages/**', 'run', 'build'])
  if (build !== 0) process.exit(build)
  process.exit(run(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...rest]))
} else if (task === 'bench') {
  // Not part of `test`: it takes minutes and its times depend on the machine (bench/README.md).
  ensureChromium()
  process.exit(run(process.execPath, [join(root, 'bench', 'run.mjs'), ...rest]))
} else {
  console.error('usage: node scripts/run.mjs demo|test|bench [args]')
  process.exit(2)
}
