// Bundle sizes: each scenario (bench/scenarios/*.ts) is built by Vite's JS API with the same
// settings, in an app that installed the packed tarballs (lib/installed.mjs: `root`) or, for
// comparison, from the workspace's sources through aliases (no `root`), (production app build, Vite's default minifier and browser target), in memory, and
// every emitted JavaScript chunk is counted: minified bytes, gzip (level 9) and brotli (quality 11)
// from node:zlib, each chunk compressed on its own as a browser would fetch it.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
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
  // Loaded at start: the entry and what it imports statically; the rest are dynamic imports.
  const initial = new Set()
  const visit = (name) => {
    if (initial.has(name) || !chunks.has(name)) return
    initial.add(name)
    for (const dep of chunks.get(name).imports) visit(dep)
  }
  for (const c of chunks.values()) if (c.isEntry) visit(c.fileName)
  const size = { chunks: 0, min: 0, gzip: 0, brotli: 0, lazyChunks: 0, lazyGzip: 0 }
  for (const chunk of chunks.values()) {
    const code = Buffer.from(chunk.code)
    const gzip = gzipSync(code, { level: 9 }).length
    size.chunks += 1
    size.min += code.length
    size.gzip += gzip
    size.brotli += brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
    if (!initial.has(chunk.fileName)) {
      size.lazyChunks += 1
      size.lazyGzip += gzip
    }
  }
  return size
}

/** Measures entries one after another (parallel builds would only fight over the CPU). */
export async function measureAll(entries, from = {}) {
  const results = []
  for (const entry of entries) results.push({ ...entry, ...(await measureEntry(entry, from)) })
  return results
}
