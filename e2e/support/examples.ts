// The example apps (examples/react-router, examples/vue-router) as the e2e suite runs them:
// production builds with Vite against the packages' dist (what `npm test` builds first; rebuilt
// here when a package source is newer), under a base path, each on its own loopback origin.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, preview, type PreviewServer } from 'vite'
// @ts-expect-error plain ESM module without types
import { freePort } from '../../demo/op/provider.mjs'

/** Where each example app is served; `base` is the path both apps live under. */
export interface ExampleApps {
  base: string
  react: string
  vue: string
}

const root = fileURLToPath(new URL('../../', import.meta.url))
const BASE = '/app/'
const NAMES = { react: 'react-router', vue: 'vue-router' } as const

/** Newest modification time of the files under `dir` that pass `keep`. */
function newest(dir: string, keep: (name: string) => boolean): number {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) latest = Math.max(latest, newest(path, keep))
    else if (keep(entry.name)) latest = Math.max(latest, statSync(path).mtimeMs)
  }
  return latest
}

/** Builds the packages' dist when it is missing or older than their sources. */
function ensurePackagesBuilt(): void {
  const stale = ['core', 'react', 'vue'].some((name) => {
    const dist = join(root, 'packages', name, 'dist', 'index.js')
    if (!existsSync(dist)) return true
    const source = newest(join(root, 'packages', name, 'src'), (f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
    return source > statSync(dist).mtimeMs
  })
  if (!stale) return
  execFileSync('pnpm', ['-r', '--filter', './packages/**', 'run', 'build'], { cwd: root, stdio: 'ignore' })
}

/**
 * Picks the ports now, so the provider can register the apps' redirect URIs before it starts;
 * `serve(issuer)` then builds the apps against that issuer and serves them.
 */
export async function planExamples(host: string, port: () => Promise<number> = () => freePort(host)) {
  const urls: ExampleApps = {
    base: BASE,
    react: `http://${host}:${await port()}`,
    vue: `http://${host}:${await port()}`,
  }
  const app = (origin: string, path: string) => `${origin}${BASE}${path}`
  const redirectUris = [
    // Redirect URIs (callback route, popup page, the hash-history page) and where logout returns.
    ...[urls.react, urls.vue].flatMap((o) => [app(o, 'callback'), app(o, 'popup-callback.html'), app(o, '')]),
    app(urls.vue, 'hash.html'),
  ]

  async function serve(issuer: string): Promise<{ close(): Promise<void> }> {
    ensurePackagesBuilt()
    const servers: PreviewServer[] = []
    const outDirs: string[] = []
    const env = { VITE_ISSUER: process.env.VITE_ISSUER, BASE_PATH: process.env.BASE_PATH }
    process.env.VITE_ISSUER = issuer
    process.env.BASE_PATH = BASE
    try {
      for (const key of ['react', 'vue'] as const) {
        const dir = join(root, 'examples', NAMES[key])
        const configFile = join(dir, 'vite.config.ts')
        const outDir = mkdtempSync(join(tmpdir(), `tk-e2e-${key}-`))
        outDirs.push(outDir)
        await build({ root: dir, configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } })
        const { port } = new URL(urls[key])
        servers.push(
          await preview({ root: dir, configFile, logLevel: 'warn', build: { outDir }, preview: { host, port: Number(port), strictPort: true } }),
        )
      }
    } finally {
      for (const [name, value] of Object.entries(env)) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
    return {
      async close() {
        for (const s of servers) await s.close()
        for (const d of outDirs) rmSync(d, { recursive: true, force: true })
      },
    }
  }

  return { urls, redirectUris, serve }
}
