// The provider asks for quiet once, and every tab keeps it: after one tab's renewal is answered
// 429 with Retry-After: 30, no tab sends a token request for 30 s, then renewals carry on and
// both tabs stay signed in. Short-lived access tokens, so both tabs are due during the quiet.
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { loginAtProvider, testId } from './support/browser'
import { failNext, setAccessTokenTtl } from './support/provider'
import { context, useBrowser } from './support/useBrowser'

const issuer = inject('issuer')
const appUrl = inject('appUrl')

useBrowser({ page: false, restoreTtl: true })

const status = (p: Page) => testId(p, 'status').textContent()

async function twoTabs(storage: string): Promise<Page[]> {
  const a = await context.newPage()
  await a.goto(`${appUrl}/?storage=${storage}`)
  await expect.poll(() => status(a)).toBe('unauthenticated')
  await testId(a, 'login').click()
  await a.waitForURL((url) => url.href.startsWith(issuer))
  await loginAtProvider(a, appUrl)
  await expect.poll(() => status(a)).toBe('authenticated')
  const b = await context.newPage()
  await b.goto(`${appUrl}/?storage=${storage}`)
  await expect.poll(() => status(b)).toBe('authenticated')
  return [a, b]
}

describe('Retry-After is kept by every tab', () => {
  for (const storage of ['indexeddb', 'local']) {
    it(`${storage}: after 429 + Retry-After: 30 in one tab, no tab sends a renewal for 30 s`, { timeout: 90_000 }, async () => {
      await setAccessTokenTtl(issuer, 6) // due about every 5.3 s: both tabs are due many times during the quiet
      const tabs = await twoTabs(storage)
      const sent: { at: number; tab: number }[] = []
      tabs.forEach((p, tab) =>
        p.on('request', (r) => {
          if (r.method() === 'POST' && r.url() === `${issuer}/token`) sent.push({ at: Date.now(), tab })
        }),
      )
      await failNext(issuer, { endpoint: 'token', status: 429, headers: { 'Retry-After': '30' }, times: 1 })
      await expect.poll(() => sent.length, { timeout: 15_000, interval: 50 }).toBe(1)
      const quietFrom = sent[0]!.at
      await expect.poll(() => sent.length, { timeout: 40_000, interval: 100 }).toBeGreaterThanOrEqual(2)
      const next = sent[1]!
      const quietS = (next.at - quietFrom) / 1000
      console.log(`[measure] ${storage}: the 429 came in tab ${sent[0]!.tab}; next token request ${quietS.toFixed(2)} s later, from tab ${next.tab}; requests during the quiet: 0`)
      expect(next.at - quietFrom).toBeGreaterThanOrEqual(30_000)
      // The quiet is over: the session is renewed and both tabs are still signed in.
      await expect.poll(() => testId(tabs[0]!, 'warning-code').textContent(), { timeout: 10_000 }).toBe('')
      expect(await testId(tabs[0]!, 'error-code').textContent()).toBe('')
      for (const p of tabs) expect(await status(p)).toBe('authenticated')
    })
  }
})
