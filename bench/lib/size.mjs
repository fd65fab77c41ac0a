// Bundle sizes: each scenario (bench/scenarios/*.ts) is built by Vite's JS API with the same
// settings, in an app that installed the packed tarballs (lib/installed.mjs: `root`) or, for
// comparison, from the workspace's sources through aliases (no `root`), (production app build, Vite's default minifier and browser target), in memory, and
// every emitted JavaScript chunk is counted: minified bytes, gzip (level 9) and brotli (quality 11)
// from node:zlib, each chunk compressed on its own as a browser would fetch it.
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build as esbuild, transform } from 'esbuild'
import { build } from 'vite'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))

/** tokenkeep from its sources, as the demo uses it (only for the "from src" comparison). */
const TOKENKEEP_ALIASES = [
  { find: /^@tokenkeep\/core$/, replacement: here('../../packages/core/src/index.ts') },
  { find: /^@tokenkeep\/react$/, replacement: here('../../packages/react/src/index.ts') },
  { find: /^@tokenkeep\/vue$/, replacement: here('../../packages/vue/src/index.ts') },
  { find: /^@tokenkeep\/vue\/router$/, replacement: here('../../packages/vue/src/router.ts') },
]

/** tokenkeep's own entries, the ones the size budget guards. */
export const TOKENKEEP_ENTRIES = [
  { id: 'minimal', label: 'tokenkeep minimal (redirect + getUser)', file: 'tokenkeep-minimal.ts' },
  { id: 'scenario', label: 'tokenkeep (common scenario)', file: 'tokenkeep.ts' },
  { id: 'full', label: 'tokenkeep full (popup, refresh, tabs, IndexedDB)', file: 'tokenkeep-full.ts' },
  { id: 'dpop', label: 'tokenkeep with DPoP (protocol.dpop, createAuthFetch, IndexedDB)', file: 'tokenkeep-dpop.ts' },
  {
    id: 'react',
    label: '@tokenkeep/react adapter (react, core external)',
    file: 'tokenkeep-react.ts',
    external: [/^react(\/|$)/, /^react-dom(\/|$)/, /^@tokenkeep\/core$/],
  },
  {
    id: 'vue',
    label: '@tokenkeep/vue adapter + router guard (vue, core external)',
    file: 'tokenkeep-vue.ts',
    external: [/^vue$/, /^vue-router$/, /^@tokenkeep\/core$/],
  },
]

/**
 * The opt-in features, each as the common scenario with that one feature on
 * (`scenarios/features/<id>.ts`): the bench reports what each adds at start and in all.
 */
export const FEATURE_ENTRIES = ['dpop', 'par', 'userinfo', 'verifySignature', 'logger', 'popup', 'silent', 'indexeddb', 'authFetch', 'stepUp', 'idle'].map((id) => ({
  id,
  label: id,
  file: `features/${id}.ts`,
}))

/** The chunk behind `import()` that login, callbacks, renewal and logout load: tokenkeep's protocol. */
const PROTOCOL = /protocol\/protocol\.(js|ts)$/

/** The same scenario written for each peer SDK (create, redirect login, callback, user, token, logout). */
export const PEER_ENTRIES = [
  { id: 'auth0-spa-js', label: '@auth0/auth0-spa-js', pkg: '@auth0/auth0-spa-js', file: 'auth0-spa-js.ts' },
  { id: 'oidc-client-ts', label: 'oidc-client-ts', pkg: 'oidc-client-ts', file: 'oidc-client-ts.ts' },
  { id: 'msal-browser', label: '@azure/msal-browser', pkg: '@azure/msal-browser', file: 'msal-browser.ts' },
  { id: 'okta-auth-js', label: '@okta/okta-auth-js', pkg: '@okta/okta-auth-js', file: 'okta-auth-js.ts' },
  { id: 'axa-oidc-client', label: '@axa-fr/oidc-client', pkg: '@axa-fr/oidc-client', file: 'axa-oidc-client.ts' },
]

/**
 * Builds one scenario and measures it.
 * @param {{ file: string, external?: RegExp[] }} entry
 * @param {{ root?: string }} [from] `root`: the installed app (lib/installed.mjs), whose
 *   node_modules resolve every package; without it tokenkeep comes from the workspace's sources
 * @returns {Promise<{ chunks: number, min: number, gzip: number, brotli: number, lazyChunks: number, lazyGzip: number }>}
 * Totals count every chunk, lazy ones (dynamic imports) too; `lazy*` says how much of it is lazy.
 */
export async function measureEntry(entry, from = {}) {
  // Vite takes production-or-not from NODE_ENV when it is set (vitest sets 'test'), and code
  // behind `process.env.NODE_ENV !== 'production'` would then count: always measure production.
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    return await measureProduction(entry, from.root)
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = nodeEnv
  }
}

async function measureProduction(entry, root) {
  const output = await build({
    configFile: false,
    root: root ?? here('..'),
    logLevel: 'silent',
    mode: 'production',
    resolve: root ? {} : { alias: TOKENKEEP_ALIASES },
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      write: false,
      emptyOutDir: false,
      copyPublicDir: false,
      modulePreload: false,
      reportCompressedSize: false,
      sourcemap: false,
      rollupOptions: {
        input: root ? join(root, 'scenarios', entry.file) : here(`../scenarios/${entry.file}`),
        external: entry.external ?? [],
        // A rolldown/vite default setting for app builds; stated so a Vite upgrade cannot move it.
        output: { format: 'es' },
      },
    },
  })
  const outputs = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output)
  const chunks = new Map(outputs.filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]))
  const closure = (roots) => {
    const seen = new Set()
    const visit = (name) => {
      if (seen.has(name) || !chunks.has(name)) return
      seen.add(name)
      for (const dep of chunks.get(name).imports) visit(dep)
    }
    for (const r of roots) visit(r)
    return seen
  }
  // Loaded at start: the entry and what it imports statically; the rest are dynamic imports.
  const initial = closure([...chunks.values()].filter((c) => c.isEntry).map((c) => c.fileName))
  // What the scenario loads once used (login, callback, renewal, logout): start + the protocol.
  const loads = closure([...initial, ...[...chunks.values()].filter((c) => PROTOCOL.test(c.facadeModuleId ?? '')).map((c) => c.fileName)])
  const size = { chunks: 0, min: 0, gzip: 0, brotli: 0, lazyChunks: 0, lazyGzip: 0, startGzip: 0, loadsGzip: 0, preloadGzip: 0 }
  for (const chunk of chunks.values()) {
    const code = Buffer.from(chunk.code)
    const gzip = gzipSync(code, { level: 9 }).length
    size.chunks += 1
    size.min += code.length
    size.gzip += gzip
    size.brotli += brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
    if (loads.has(chunk.fileName)) size.loadsGzip += gzip
    if (initial.has(chunk.fileName)) size.startGzip += gzip
    else {
      size.lazyChunks += 1
      size.lazyGzip += gzip
    }
    // Vite's own preload helper, in every Vite app with a lazy import: reported on its own line.
    for (const [id, m] of Object.entries(chunk.modules)) {
      if (id.includes('vite/preload-helper') && m.code && initial.has(chunk.fileName)) {
        const min = (await transform(m.code, { minify: true, format: 'esm' })).code
        size.preloadGzip += gzipSync(Buffer.from(min), { level: 9 }).length
      }
    }
  }
  return size
}

/**
 * The same scenario built by esbuild with code splitting (ESM, minified, `NODE_ENV=production`),
 * from the installed app: what an app bundled by esbuild (or a tool built on it) loads.
 * @returns {Promise<{ chunks: number, startGzip: number, loadsGzip: number, allGzip: number }>}
 */
export async function measureEsbuild(entry, { root }) {
  const outdir = join(root, '.esbuild-out')
  const result = await esbuild({
    entryPoints: [join(root, 'scenarios', entry.file)],
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    write: false,
    outdir,
    metafile: true,
    external: entry.external?.length ? ['react', 'react-dom', 'vue', 'vue-router', '@tokenkeep/core'] : [],
    define: { 'process.env.NODE_ENV': '"production"' },
    // The scenarios' own tsconfig is the workspace's (paths to sources): resolve as an app does.
    tsconfigRaw: {},
    logLevel: 'silent',
  })
  const meta = result.metafile.outputs
  const gzip = new Map(result.outputFiles.map((f) => [relative(root, f.path), gzipSync(Buffer.from(f.contents), { level: 9 }).length]))
  const closure = (roots) => {
    const seen = new Set()
    const visit = (name) => {
      if (seen.has(name) || !meta[name]) return
      seen.add(name)
      for (const i of meta[name].imports) if (i.kind === 'import-statement') visit(i.path)
    }
    for (const r of roots) visit(r)
    return seen
  }
  const names = Object.keys(meta).filter((k) => k.endsWith('.js'))
  const initial = closure(names.filter((k) => meta[k].entryPoint?.endsWith(entry.file)))
  const loads = closure([...initial, ...names.filter((k) => PROTOCOL.test(meta[k].entryPoint ?? ''))])
  const sum = (set) => [...set].reduce((n, k) => n + (gzip.get(k) ?? 0), 0)
  return { chunks: names.length, startGzip: sum(initial), loadsGzip: sum(loads), allGzip: sum(names) }
}

/** Measures entries one after another (parallel builds would only fight over the CPU). */
export async function measureAll(entries, from = {}) {
  const results = []
  for (const entry of entries) results.push({ ...entry, ...(await measureEntry(entry, from)) })
  return results
}
