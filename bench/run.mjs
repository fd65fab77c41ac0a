#!/usr/bin/env node
// `pnpm bench` (from the repository root): bundle sizes, tabs and start-up of tokenkeep and the
// peer SDKs. Every number goes into bench/results.json (the docs quote it: docs/results.mjs), and
// bench/RESULTS.md is rendered from the same run. `--only size|tabs|startup` runs one part and
// keeps the others' results as they were. Not part of `pnpm test`; the size budget is (size.test.ts).
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { BROWSER_SDKS, NOT_MEASURABLE, runStartup, runTabs, startBenchEnvironment } from './lib/browser.mjs'
import { version as viteVersion } from 'vite'
import { prepareInstalled } from './lib/installed.mjs'
import { FEATURE_ENTRIES, measureAll, measureEsbuild, PEER_ENTRIES, TOKENKEEP_ENTRIES } from './lib/size.mjs'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const args = process.argv.slice(2).filter((a) => a !== '--')
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined
const parts = only ? [only] : ['size', 'tabs', 'startup']
if (!parts.every((p) => ['size', 'tabs', 'startup'].includes(p))) {
  console.error('usage: pnpm bench [--only size|tabs|startup]')
  process.exit(2)
}

const TTL_SECONDS = 10
const TAB_COUNTS = [1, 5, 10]
const STARTUP_RUNS = 5

// One app outside the workspace for every table: tokenkeep's packed tarballs and the peers,
// installed from the registry at bench/package.json's versions (lib/installed.mjs).
process.stderr.write('packing tokenkeep and installing it with the peers outside the workspace\n')
const installed = prepareInstalled({ peers: true })
const version = (pkg) => installed.version(pkg)
const kB = (bytes) => (bytes / 1000).toFixed(1)
const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')

// results.json: what this run measured, beside what earlier runs of the other parts measured.
const RESULTS = here('results.json')
const results = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {}
results.sections ??= {}
function section(title, text, part) {
  const block = `## ${title}\n\n${text}\n`
  console.log(`\n${block}`)
  results.sections[part] = block
}
/** Startup rows and tabs SDKs by the ids the docs use. */
const RESULT_ID = { tokenkeep: 'indexeddb', 'tokenkeep-idb-bundled': 'indexeddb-bundled', 'tokenkeep-local': 'local', 'tokenkeep-session': 'session', 'oidc-client-ts': 'oidc-client-ts' }

if (parts.includes('size')) {
  const started = Date.now()
  const root = installed.root
  const own = await measureAll(TOKENKEEP_ENTRIES, { root })
  const fromSrc = await measureAll(TOKENKEEP_ENTRIES)
  const peers = await measureAll(PEER_ENTRIES, { root })
  const features = await measureAll(FEATURE_ENTRIES, { root })
  const esbuilt = {}
  for (const e of [...TOKENKEEP_ENTRIES, ...PEER_ENTRIES, ...FEATURE_ENTRIES.map((f) => ({ ...f, id: `feature:${f.id}` }))]) esbuilt[e.id] = await measureEsbuild(e, { root })
  const scenario = own.find((e) => e.id === 'scenario')
  const oidc = peers.find((p) => p.id === 'oidc-client-ts')
  // What the page loads at start, without Vite's own preload helper (in every Vite app that has a
  // lazy import; reported on its own line).
  const atStart = (e) => e.startGzip - e.preloadGzip
  const ratio = (a, b) => `${(a / b).toFixed(2)}×`
  const preload = scenario.preloadGzip
  results.size = {
    entries: Object.fromEntries(own.map((e) => [e.id, { label: e.label, startGzip: atStart(e), loadsGzip: e.loadsGzip - e.preloadGzip, allGzip: e.gzip - e.preloadGzip, min: e.min, chunks: e.chunks }])),
    esbuild: Object.fromEntries(Object.entries(esbuilt).filter(([id]) => !id.startsWith('feature:'))),
    peers: Object.fromEntries(peers.map((p) => [p.id, { label: p.label, version: version(p.pkg), startGzip: atStart(p), allGzip: p.gzip, min: p.min }])),
    features: Object.fromEntries(
      features.map((f) => [
        f.id,
        {
          startDeltaGzip: atStart(f) - atStart(scenario),
          loadsDeltaGzip: f.loadsGzip - f.preloadGzip - (scenario.loadsGzip - scenario.preloadGzip),
          allDeltaGzip: f.gzip - scenario.gzip,
          esbuildStartDeltaGzip: esbuilt[`feature:${f.id}`].startGzip - esbuilt.scenario.startGzip,
        },
      ]),
    ),
    vitePreloadGzip: preload,
    vite: viteVersion,
  }
  const R = results.size
  const tk = (e) => [e.label, `${version('@tokenkeep/core')} (packed)`, String(e.chunks), String(R.entries[e.id].startGzip), String(R.entries[e.id].loadsGzip), String(R.entries[e.id].allGzip), String(esbuilt[e.id].startGzip), String(esbuilt[e.id].loadsGzip)]
  section(
    'Bundle size',
    [
      'One scenario per SDK (create the client, redirect login, handle the callback, getUser, getAccessToken, logout; `bench/scenarios/`), each built in one app outside the workspace ' +
        'that installed tokenkeep from its packed tarballs (`pnpm pack`) and the peers from the registry, twice: by Vite ' +
        `${viteVersion} (production app build, its default minifier and target) and by esbuild with code splitting (ESM, minified). Bytes are min+gzip (level 9, node:zlib), each chunk compressed on its own, as a browser fetches it. ` +
        '**At start**: the entry and its static imports, what every page load downloads. **Loads**: at start plus the chunks that login, the callback, a renewal and logout load (tokenkeep\'s protocol chunk). **All**: every chunk, opt-in features\' too. ' +
        `Vite's own preload helper (${preload} B, in every Vite app that has a lazy import) is left out of the Vite figures and shown here on its own.`,
      '',
      table(
        ['bundle', 'version', 'chunks (Vite)', 'at start, Vite', 'loads, Vite', 'all, Vite', 'at start, esbuild', 'loads, esbuild'],
        [
          ...peers.map((p) => [p.label, version(p.pkg), String(p.chunks), String(atStart(p)), String(atStart(p)), String(p.gzip), String(esbuilt[p.id].startGzip), String(esbuilt[p.id].loadsGzip)]),
          ...own.map(tk),
        ],
      ),
      '',
      `tokenkeep's scenario against oidc-client-ts ${version('oidc-client-ts')}: at start ${ratio(R.entries.scenario.startGzip, atStart(oidc))} (Vite), ${ratio(esbuilt.scenario.startGzip, esbuilt['oidc-client-ts'].startGzip)} (esbuild); ` +
        `everything the scenario loads ${ratio(R.entries.scenario.loadsGzip, atStart(oidc))} (Vite), ${ratio(esbuilt.scenario.loadsGzip, esbuilt['oidc-client-ts'].loadsGzip)} (esbuild).`,
      '',
      'Each opt-in feature: the scenario with that one feature on (`bench/scenarios/features/`), bytes it adds to the scenario without it (min+gzip). Unused, a feature adds 0 B: the scenario does not turn it on.',
      '',
      table(
        ['feature', 'at start, Vite', 'at start, esbuild', 'loads, Vite', 'all chunks, Vite'],
        features.map((f) => {
          const d = R.features[f.id]
          return [f.id, String(d.startDeltaGzip), String(d.esbuildStartDeltaGzip), String(d.loadsDeltaGzip), String(d.allDeltaGzip)]
        }),
      ),
      '',
      'tokenkeep installed from the tarball against the same scenarios built from the workspace sources (aliases, as the demo and the unit tests use them), Vite, min+gzip:',
      '',
      table(
        ['entry', 'at start, tarball', 'at start, src', 'all chunks, tarball', 'all chunks, src', 'chunks, tarball / src'],
        own.map((e, i) => [e.id, String(atStart(e)), String(atStart(fromSrc[i])), String(e.gzip), String(fromSrc[i].gzip), `${e.chunks} / ${fromSrc[i].chunks}`]),
      ),
      '',
      'Targets: at start at most 7,000 B (0.40× oidc-client-ts), everything the scenario loads at most 16,000 B (0.90×).',
      `(${((Date.now() - started) / 1000).toFixed(1)} s)`,
    ].join('\n'),
    'size',
  )
}

let env
let chromium = ''
try {
  if (parts.includes('tabs') || parts.includes('startup')) {
    env = await startBenchEnvironment({ accessTokenTtl: TTL_SECONDS, root: installed.root })
    chromium = env.browser.version()
  }

  if (parts.includes('tabs')) {
    const started = Date.now()
    const rows = []
    const errorNotes = []
    results.tabs = {}
    for (const sdk of BROWSER_SDKS.filter((s) => !s.startupOnly)) {
      for (const tabs of TAB_COUNTS) {
        process.stderr.write(`tabs: ${sdk.label}, ${tabs} tab(s)\n`)
        const r = await runTabs(env, sdk.id, tabs, TTL_SECONDS)
        const perExpiry = r.refreshRounds ? (r.refreshGrants / r.refreshRounds).toFixed(1) : '–'
        ;(results.tabs[RESULT_ID[sdk.id] ?? sdk.id] ??= {})[tabs] = {
          grants: r.refreshGrants,
          rounds: r.refreshRounds,
          grantsPerExpiry: r.refreshRounds ? Number((r.refreshGrants / r.refreshRounds).toFixed(1)) : null,
          reuseErrors: r.reuse,
          signedIn: `${r.signedIn} / ${tabs}`,
        }
        if (r.errorKinds.length) errorNotes.push(`- ${sdk.label}, ${tabs} tabs: ${r.errorKinds.join('; ')}`)
        rows.push([sdk.label, String(tabs), String(r.refreshGrants), String(r.refreshRounds), perExpiry, String(r.reuse), String(r.otherErrors), `${r.signedIn} / ${tabs}`])
      }
    }
    for (const peer of NOT_MEASURABLE) rows.push([peer.label, '–', '–', '–', '–', '–', '–', peer.reason])
    section(
      'Tabs',
      [
        `Dev provider (oidc-provider, refresh-token rotation on, reuse of a used refresh token revokes the grant), access tokens valid ${TTL_SECONDS} s. ` +
          `Each row: sign in by redirect in one tab, open the other tabs on the same page, then let three token lifetimes pass (${3 * TTL_SECONDS + 2} s). ` +
          'Refresh grants are counted at the token endpoint from the sign-in on (opening 10 tabs can take longer than a lifetime, hence 3 to 5 rounds); grants less than 3 s apart are one round (the tabs reacting to one expiry). ' +
          'Races between tabs make the peers’ rows vary from run to run. ' +
          '"Signed in" = the page still reports a session and the provider’s userinfo endpoint accepts the access token the SDK hands out. Headless Chromium, one browser context (tabs share storage).',
        '',
        ...BROWSER_SDKS.filter((s) => !s.startupOnly).map((s) => `- ${s.label}: ${s.setup}`),
        '',
        table(['SDK', 'tabs', 'refresh grants', 'rounds (expiries)', 'grants per expiry', 'refresh-token reuse errors', 'other refresh errors', 'tabs signed in after'], rows),
        '',
        ...(errorNotes.length ? ['Refresh errors the provider answered:', '', ...errorNotes, ''] : []),
        'Target: one refresh grant per expiry for any number of tabs, with no session lost.',
        `(${((Date.now() - started) / 1000).toFixed(0)} s)`,
      ].join('\n'),
      'tabs',
    )
  }

  if (parts.includes('startup')) {
    const started = Date.now()
    // A long-lived token, so the stored session stays valid through every run.
    await env.helpers.setAccessTokenTtl(env.op.issuer, 3600)
    process.stderr.write(`start-up: ${BROWSER_SDKS.map((s) => s.label).join(', ')}\n`)
    const measured = await runStartup(env, BROWSER_SDKS.map((s) => s.id), STARTUP_RUNS)
    const rows = []
    results.startup = {}
    for (const sdk of BROWSER_SDKS) {
      const r = measured.get(sdk.id)
      results.startup[RESULT_ID[sdk.id] ?? sdk.id] = { label: sdk.label, msAfterScript: Math.round(r.sdkMs), msFromNavigation: Math.round(r.ms), providerRequests: r.provider, requests: r.all }
      rows.push([sdk.label, String(r.provider), String(r.all), r.ms.toFixed(0), r.sdkMs.toFixed(0)])
    }
    for (const peer of NOT_MEASURABLE) rows.push([peer.label, '–', '–', '–', peer.reason])
    section(
      'Start-up',
      [
        `With a valid stored session (signed in once, access token valid for an hour), the page is opened ${STARTUP_RUNS} times in a new tab of the same browser context (the SDKs take turns); medians. ` +
          'Requests are counted from navigation until 1 s after the page reports `authenticated` (all = the page and its scripts too). ' +
          'Time = `performance.now()` when the SDK first reports the session, i.e. from navigation start; the last column leaves out loading the page and its scripts (from the page script, right after the SDK client is created). Times are machine-dependent and only reported. ' +
          'The pages are built from the packed tarballs installed outside the workspace, like the size table; tokenkeep has one row per store.',
        '',
        ...BROWSER_SDKS.filter((s) => s.startupOnly).map((s) => `- ${s.label}: ${s.setup}`),
        '',
        table(['SDK', 'requests to the provider', 'requests in all', 'ms from navigation to authenticated', 'of which after the page script ran'], rows),
        '',
        'Target: zero requests to restore a valid session; \'indexeddb\' by name within 5 ms of indexedDbStore() bundled.',
        `(${((Date.now() - started) / 1000).toFixed(0)} s)`,
      ].join('\n'),
      'startup',
    )
  }
} finally {
  await env?.close()
  installed.remove()
}

let commit = ''
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
} catch {}
results.commit = commit
results.date = new Date().toISOString().slice(0, 10)
results.machine = `Node ${process.version}, ${chromium ? `Chromium ${chromium}, ` : results.machine?.match(/Chromium [^,]+, /)?.[0] ?? ''}${cpus().length} CPU core(s)`
writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`)
const header = [
  '# Benchmark results',
  '',
  `Written by \`pnpm bench\` on ${results.date}${commit ? ` at commit ${commit}` : ''} (${only ? `the ${only} part; the others from earlier runs` : 'every part'}): ` +
    `${results.machine}. The numbers are also in [results.json](results.json), which the docs quote. How to run and what each table means: [README.md](README.md).`,
  '',
].join('\n')
const order = ['size', 'tabs', 'startup'].filter((p) => results.sections[p])
writeFileSync(here('RESULTS.md'), `${header}\n${order.map((p) => results.sections[p]).join('\n')}`)
console.log(`\nwrote ${here('RESULTS.md')} and ${RESULTS}`)
