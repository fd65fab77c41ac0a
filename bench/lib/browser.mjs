// The browser benchmarks: tabs (refresh grants per expiry, refresh-token reuse, sessions kept) and
// start-up (requests and time to authenticated with a valid stored session). Real Chromium (the
// system's) through the e2e helpers, fenced to loopback; the dev OP in this process; the pages in
// bench/pages built by Vite in the installed app (lib/installed.mjs: tokenkeep from its packed
// tarballs, the peers from the registry) and served by `vite preview`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, preview, runnerImport } from 'vite'
import { freePort, startProvider } from '../../demo/op/provider.mjs'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))

/** SDKs measured in the browser: each has bench/pages/<id>.html. */
export const BROWSER_SDKS = [
  { id: 'tokenkeep', label: "tokenkeep (storage 'indexeddb' by name)", setup: "storage: 'indexeddb' (refresh once for all tabs is built in), refresh.leewayMs 2000" },
  {
    id: 'tokenkeep-idb-bundled',
    label: 'tokenkeep (indexedDbStore() bundled)',
    setup: "storage: indexedDbStore() imported statically instead of 'indexeddb' by name (no lazy chunk to fetch at start); start-up only, its tab behaviour is the first row's",
    startupOnly: true,
  },
  { id: 'tokenkeep-local', label: "tokenkeep (storage 'local')", setup: "storage: 'local', refresh.leewayMs 2000 (the README prefers 'indexeddb' for tabs)" },
  {
    id: 'tokenkeep-session',
    label: "tokenkeep (storage 'session', the default)",
    setup: "storage: 'session': per tab, so start-up only, and each run reloads the signed-in tab instead of opening a new one",
    startupOnly: true,
    sameTab: true,
  },
  {
    id: 'oidc-client-ts',
    label: 'oidc-client-ts',
    setup: 'userStore: WebStorageStateStore(localStorage), automaticSilentRenew (renews with the refresh token), accessTokenExpiringNotificationTimeInSeconds 2',
  },
]

/** Peers that cannot run against a standard OpenID Provider, and why. */
export const NOT_MEASURABLE = [
  {
    label: '@auth0/auth0-spa-js',
    reason:
      'not measurable against a standard OIDC provider: it does no discovery and builds every URL from `domain` with Auth0’s own paths (`/authorize`, `/oauth/token`, `/v2/logout`); the provider advertises its endpoints in its discovery document, and moving the dev provider onto Auth0’s paths would be emulating Auth0, not measuring against OIDC',
  },
]

/** Loads the e2e helpers (TypeScript) through Vite's module runner. */
async function e2eHelpers() {
  const [{ module: browser }, { module: provider }] = await Promise.all([
    runnerImport(here('../../e2e/support/browser.ts')),
    runnerImport(here('../../e2e/support/provider.ts')),
  ])
  return { ...browser, ...provider }
}

/**
 * Starts the dev OP and the bench pages on free loopback ports.
 * @param {{ accessTokenTtl: number, root: string }} options `root`: the installed app
 *   (lib/installed.mjs) holding pages/ and the packages the pages import
 */
export async function startBenchEnvironment({ accessTokenTtl, root }) {
  const helpers = await e2eHelpers()
  const host = '127.0.0.1'
  const appPort = await freePort(host)
  const appUrl = `http://${host}:${appPort}`
  const pageUrl = (sdk) => `${appUrl}/${sdk}.html`
  const op = await startProvider({
    host,
    extraRedirectUris: BROWSER_SDKS.map((s) => pageUrl(s.id)),
    accessTokenTtl,
    quiet: true,
  })
  // Refresh grants with their times, to group them into rounds (one round per expiry).
  const grantTimes = []
  op.provider.on('grant.success', (ctx) => {
    if (ctx.oidc.params?.grant_type === 'refresh_token') grantTimes.push(Date.now())
  })

  const outDir = mkdtempSync(join(tmpdir(), 'tk-bench-pages-'))
  const config = {
    configFile: false,
    root: join(root, 'pages'),
    logLevel: 'warn',
    define: { __BENCH__: JSON.stringify({ issuer: op.issuer, clientId: op.clientId }) },
    build: {
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: Object.fromEntries(BROWSER_SDKS.map((s) => [s.id, join(root, 'pages', `${s.id}.html`)])) },
    },
    preview: { host, port: appPort, strictPort: true },
  }
  await build(config)
  const server = await preview(config)
  const browser = await helpers.launchBrowser()

  return {
    helpers,
    op,
    appUrl,
    pageUrl,
    browser,
    grantTimes,
    async close() {
      await browser.close()
      await server.close()
      await op.close()
      rmSync(outDir, { recursive: true, force: true })
    },
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function waitAuthenticated(page, timeout = 30_000) {
  await page.waitForFunction(() => window.__bench?.status === 'authenticated', null, { timeout })
}

/** Signs in on a fresh page of `context` by redirect and returns that page, authenticated. */
async function signIn(env, context, sdk) {
  const page = await context.newPage()
  await page.goto(env.pageUrl(sdk))
  await page.waitForFunction(() => window.__bench && window.__bench.status !== 'loading', null, { timeout: 30_000 })
  await page.evaluate(() => {
    void window.__bench.login()
  })
  await page.waitForURL((url) => url.href.startsWith(env.op.issuer), { timeout: 30_000 })
  await env.helpers.loginAtProvider(page, { appUrl: env.pageUrl(sdk) })
  await waitAuthenticated(page)
  return page
}

/** Groups refresh grants less than `gapMs` apart into one round (the tabs reacting to one expiry). */
function rounds(times, gapMs) {
  let count = 0
  let last = -Infinity
  for (const t of [...times].sort((a, b) => a - b)) {
    if (t - last > gapMs) count += 1
    last = t
  }
  return count
}

/**
 * Signs in, opens `tabs` tabs on the same session, then lets three access-token lifetimes pass.
 * @returns refresh grants, rounds, reuse errors, other grant errors and tabs still signed in.
 */
export async function runTabs(env, sdk, tabs, ttlSeconds) {
  const context = await env.helpers.newContext(env.browser)
  try {
    const pages = [await signIn(env, context, sdk)]
    // Count from the sign-in on: opening the other tabs can take longer than a token lifetime.
    await env.helpers.resetProvider(env.op.issuer)
    env.grantTimes.length = 0
    for (let i = 1; i < tabs; i++) {
      const page = await context.newPage()
      await page.goto(env.pageUrl(sdk))
      pages.push(page)
    }
    for (const page of pages) await waitAuthenticated(page)
    await sleep(3 * ttlSeconds * 1000 + 2000)
    const stats = await env.helpers.providerStats(env.op.issuer)
    const refreshGrants = stats.grants.refresh_token ?? 0
    const refreshRounds = rounds(env.grantTimes, 3000)
    const refreshErrors = stats.grantErrors.filter((e) => e.grantType === 'refresh_token')
    const otherErrors = refreshErrors.length - stats.refreshTokenReuse
    const errorKinds = [...new Set(refreshErrors.map((e) => [e.error, e.detail].filter(Boolean).join(': ')))]

    let signedIn = 0
    for (const page of pages) {
      const ok = await page.evaluate(async () => window.__bench.status === 'authenticated' && (await window.__bench.tokenAccepted()))
      if (ok) signedIn += 1
    }
    return { tabs, refreshGrants, refreshRounds, reuse: stats.refreshTokenReuse, otherErrors, errorKinds, signedIn }
  } finally {
    await context.close()
  }
}

/**
 * With a valid stored session: opens each SDK's page `runs` times in new tabs and measures
 * requests (to the provider, and in all) and the time from navigation start to authenticated.
 * The SDKs take turns run by run, so a busy moment of the machine does not land on one of them.
 */
export async function runStartup(env, sdks, runs) {
  const contexts = new Map()
  /** The signed-in tab of SDKs whose session lives in one tab (sessionStorage): reloaded each run. */
  const tabs = new Map()
  const sameTab = (sdk) => BROWSER_SDKS.find((s) => s.id === sdk)?.sameTab === true
  try {
    for (const sdk of sdks) {
      const context = await env.helpers.newContext(env.browser)
      contexts.set(sdk, context)
      const page = await signIn(env, context, sdk)
      if (sameTab(sdk)) tabs.set(sdk, page)
      else await page.close()
    }
    const results = new Map(sdks.map((sdk) => [sdk, []]))
    for (let i = 0; i < runs; i++) {
      for (const sdk of sdks) {
        const page = tabs.get(sdk) ?? (await contexts.get(sdk).newPage())
        if (tabs.has(sdk)) await page.goto('about:blank')
        const requests = { provider: 0, all: 0 }
        const count = (request) => {
          requests.all += 1
          if (request.url().startsWith(env.op.issuer)) requests.provider += 1
        }
        page.on('request', count)
        await page.goto(env.pageUrl(sdk))
        await waitAuthenticated(page)
        // Whatever the SDK still fetches right after it reports the session counts too.
        await sleep(1000)
        const { scriptAt, authenticatedAt } = await page.evaluate(() => ({
          scriptAt: window.__bench.scriptAt,
          authenticatedAt: window.__bench.authenticatedAt,
        }))
        results.get(sdk).push({ ms: authenticatedAt, sdkMs: authenticatedAt - scriptAt, ...requests })
        page.off('request', count)
        if (!tabs.has(sdk)) await page.close()
      }
    }
    return new Map(
      sdks.map((sdk) => {
        const r = results.get(sdk)
        return [
          sdk,
          {
            runs,
            ms: median(r.map((x) => x.ms)),
            sdkMs: median(r.map((x) => x.sdkMs)),
            provider: median(r.map((x) => x.provider)),
            all: median(r.map((x) => x.all)),
          },
        ]
      }),
    )
  } finally {
    for (const context of contexts.values()) await context.close()
  }
}
