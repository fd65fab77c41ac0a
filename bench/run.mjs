#!/usr/bin/env node
// `pnpm bench` (from the repository root): bundle sizes, tabs and start-up of tokenkeep and the
// peer SDKs, printed and written to bench/RESULTS.md. `--only size|tabs|startup` runs one part
// (RESULTS.md is then not rewritten). Not part of `pnpm test`; the size budget is (size.test.ts).
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { BROWSER_SDKS, NOT_MEASURABLE, runStartup, runTabs, startBenchEnvironment } from './lib/browser.mjs'
import { version as viteVersion } from 'vite'
import { prepareInstalled } from './lib/installed.mjs'
import { measureAll, PEER_ENTRIES, TOKENKEEP_ENTRIES } from './lib/size.mjs'

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

const sections = []
function section(title, text) {
  const block = `## ${title}\n\n${text}\n`
  console.log(`\n${block}`)
  sections.push(block)
}

if (parts.includes('size')) {
  const started = Date.now()
  const own = await measureAll(TOKENKEEP_ENTRIES, { root: installed.root })
  const fromSrc = await measureAll(TOKENKEEP_ENTRIES)
  const peers = await measureAll(PEER_ENTRIES, { root: installed.root })
  const scenario = own.find((e) => e.id === 'scenario')
  const full = own.find((e) => e.id === 'full')
  const ratio = (a, b) => `${(a / b).toFixed(2)}×`
  const lazy = (e) => (e.lazyChunks ? `${e.chunks} (${e.lazyChunks} lazy, ${kB(e.lazyGzip)} kB gzip)` : String(e.chunks))
  // What a page downloads before it can sign anyone in: the entry and its static imports. Lazy
  // chunks (ID token signature checks, PAR, IndexedDB) load only when an app turns them on.
  const atStart = (e) => e.gzip - e.lazyGzip
  section(
    'Bundle size',
    [
      'One scenario per SDK (create the client, redirect login, handle the callback, getUser, getAccessToken, logout; `bench/scenarios/`), each built in one app outside the workspace ' +
        'that installed tokenkeep from its packed tarballs (`pnpm pack`) and the peers from the registry, by Vite ' +
        `${viteVersion} as a production app build with its default minifier and browser target. Every emitted chunk is counted, lazy ones too; ` +
        'gzip level 9 and brotli quality 11 (node:zlib), each chunk on its own. kB = 1000 bytes. "At start" leaves out lazy chunks ' +
        '(dynamic imports the scenario never triggers: jose for `protocol.verifySignature`, PAR, IndexedDB); the ratios compare that, and the all-chunks ratio is given too.',
      '',
      table(
        ['bundle', 'version', 'chunks', 'min kB', 'min+gzip kB', 'min+brotli kB', 'min+gzip at start kB', 'tokenkeep scenario ÷ this (gzip at start)', 'tokenkeep full ÷ this (gzip at start)', 'tokenkeep scenario ÷ this (gzip, all chunks)'],
        [
          ...peers.map((p) => [p.label, version(p.pkg), lazy(p), kB(p.min), kB(p.gzip), kB(p.brotli), kB(atStart(p)), ratio(atStart(scenario), atStart(p)), ratio(atStart(full), atStart(p)), ratio(scenario.gzip, p.gzip)]),
          ...own.map((e) => [e.label, `${version('@tokenkeep/core')} (packed)`, lazy(e), kB(e.min), kB(e.gzip), kB(e.brotli), kB(atStart(e)), '', '', '']),
        ],
      ),
      '',
      'tokenkeep installed from the tarball against the same scenarios built from the workspace sources (aliases, as the demo and the unit tests use them); bytes min+gzip:',
      '',
      table(
        ['entry', 'at start, tarball', 'at start, src', 'all chunks, tarball', 'all chunks, src', 'chunks, tarball / src'],
        own.map((e, i) => [e.id, String(atStart(e)), String(atStart(fromSrc[i])), String(e.gzip), String(fromSrc[i].gzip), `${e.chunks} / ${fromSrc[i].chunks}`]),
      ),
      '',
      `Target: the full core at most 11 kB min+gzip. Measured: ${kB(atStart(full))} kB at start (${atStart(full)} B), ${kB(full.gzip)} kB with every lazy chunk; ` +
        (atStart(full) <= 11_000 ? 'within the target.' : `${kB(atStart(full) - 11_000)} kB over the target.`) +
        ` Smallest peer on this scenario: ${[...peers].sort((a, b) => a.gzip - b.gzip)[0].label} at ${kB(Math.min(...peers.map((p) => p.gzip)))} kB.`,
      `(${((Date.now() - started) / 1000).toFixed(1)} s)`,
    ].join('\n'),
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
    for (const sdk of BROWSER_SDKS.filter((s) => !s.startupOnly)) {
      for (const tabs of TAB_COUNTS) {
        process.stderr.write(`tabs: ${sdk.label}, ${tabs} tab(s)\n`)
        const r = await runTabs(env, sdk.id, tabs, TTL_SECONDS)
        const perExpiry = r.refreshRounds ? (r.refreshGrants / r.refreshRounds).toFixed(1) : '–'
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
    )
  }

  if (parts.includes('startup')) {
    const started = Date.now()
    // A long-lived token, so the stored session stays valid through every run.
    await env.helpers.setAccessTokenTtl(env.op.issuer, 3600)
    process.stderr.write(`start-up: ${BROWSER_SDKS.map((s) => s.label).join(', ')}\n`)
    const results = await runStartup(env, BROWSER_SDKS.map((s) => s.id), STARTUP_RUNS)
    const rows = []
    for (const sdk of BROWSER_SDKS) {
      const r = results.get(sdk.id)
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
        'Target: zero requests to restore a valid session.',
        `(${((Date.now() - started) / 1000).toFixed(0)} s)`,
      ].join('\n'),
    )
  }
} finally {
  await env?.close()
  installed.remove()
}

if (!only) {
  let commit = ''
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
  } catch {}
  const header = [
    '# Benchmark results',
    '',
    `Written by \`pnpm bench\` on ${new Date().toISOString().slice(0, 10)}${commit ? ` at commit ${commit}` : ''}: ` +
      `Node ${process.version}, ${chromium ? `Chromium ${chromium}, ` : ''}${cpus().length} CPU core(s). How to run and what each table means: [README.md](README.md).`,
    '',
  ].join('\n')
  writeFileSync(here('RESULTS.md'), `${header}\n${sections.join('\n')}`)
  console.log(`\nwrote ${here('RESULTS.md')}`)
}
