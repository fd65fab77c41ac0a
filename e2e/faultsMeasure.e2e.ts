// Measurements for issue 15, printed, never asserted as timings (speed is measured, not tested).
// Runs only with TK_MEASURE=1 (`pnpm measure:faults`, about 10 minutes): refresh grants per
// access-token lifetime at 10 s and 60 s with 1 and 3 tabs (IndexedDB, 200 ms token-endpoint
// latency), the first retry after `429 Retry-After: 10`, and the time from the provider's recovery
// to the next successful refresh after a burst of failures. What it does assert is behaviour:
// no API call ever met an expired token, and the session was never lost.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser, loginAtProvider, newContext, testId } from './support/browser'
import { failNext, providerStats, resetProvider, setAccessTokenTtl, setLatency } from './support/provider'

const issuer = inject('issuer')
const appUrl = inject('appUrl')
const measuring = process.env.TK_MEASURE === '1'

let browser: Browser
beforeAll(async () => {
  if (measuring) browser = await launchBrowser()
})
afterAll(async () => {
  await setAccessTokenTtl(issuer, 3600)
  await resetProvider(issuer)
  await browser?.close()
})

const status = (p: Page) => testId(p, 'status').textContent()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function signedInTab(context: BrowserContext, storage: string): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${appUrl}/?storage=${storage}`)
  await expect.poll(() => status(page)).toBe('unauthenticated')
  await testId(page, 'login').click()
  await page.waitForURL((url) => url.href.startsWith(issuer))
  await loginAtProvider(page)
  await expect.poll(() => status(page)).toBe('authenticated')
  return page
}

/** Calls the API (userinfo with the access token) every 300 ms, as a busy app would. */
const keepCallingApi = (page: Page) =>
  page.evaluate(() => {
    setInterval(() => (document.querySelector('[data-testid="call-api"]') as HTMLButtonElement | null)?.click(), 300)
  })

describe.runIf(measuring)('measure: refresh cadence, Retry-After, recovery', () => {
  const cadence: string[] = []

  for (const [ttl, tabs, seconds] of [
    [10, 1, 60],
    [10, 3, 60],
    [60, 1, 180],
    [60, 3, 180],
  ] as const) {
    it(`cadence: ${ttl} s tokens, ${tabs} tab(s), ${seconds} s`, { timeout: (seconds + 60) * 1000 }, async () => {
      const context = await newContext(browser)
      await resetProvider(issuer)
      await setAccessTokenTtl(issuer, ttl)
      await setLatency(issuer, 'token', 200)
      const first = await signedInTab(context, 'indexeddb')
      const pages = [first]
      for (let i = 1; i < tabs; i++) {
        const page = await context.newPage()
        await page.goto(appUrl)
        await expect.poll(() => status(page)).toBe('authenticated')
        pages.push(page)
      }
      for (const p of pages) await keepCallingApi(p)
      const before = await providerStats(issuer)
      await sleep(seconds * 1000)
      const after = await providerStats(issuer)
      const grants = after.grants.refresh_token - before.grants.refresh_token
      const perLifetime = grants / (seconds / ttl)
      // The window holds a whole number of grants; the spacing between them says it finer.
      const times = after.refreshTimes.slice(before.refreshTimes.length)
      const gaps = times.slice(1).map((t, i) => t - times[i]!)
      const meanGapS = gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length / 1000 : NaN
      const rejected = after.userinfoAnswers.rejected - before.userinfoAnswers.rejected
      const calls = after.userinfoAnswers.ok - before.userinfoAnswers.ok + rejected
      cadence.push(
        `| ${ttl} s | ${tabs} | ${seconds} s | ${grants} | ${perLifetime.toFixed(2)} | ${meanGapS.toFixed(2)} s (${(ttl / meanGapS).toFixed(2)}) | ${calls} | ${rejected} | ${after.refreshTokenReuse} |`,
      )
      console.log(cadence.at(-1))
      for (const p of pages) expect(await status(p)).toBe('authenticated')
      expect(rejected).toBe(0)
      expect(after.refreshTokenReuse).toBe(0)
      await context.close()
    })
  }

  /** A signed-in tab whose page clock is moved to `inLeewayMs` before expiry of a 600 s token (60 s leeway). */
  async function tabInsideLeeway(context: BrowserContext, inLeewayMs: number): Promise<{ page: Page; tokenRequests: { at: number; status?: number; failed?: string }[] }> {
    await resetProvider(issuer)
    await setAccessTokenTtl(issuer, 600)
    const page = await context.newPage()
    await page.clock.install()
    await page.goto(`${appUrl}/?storage=session`)
    await expect.poll(() => status(page)).toBe('unauthenticated')
    await testId(page, 'login').click()
    await page.waitForURL((url) => url.href.startsWith(issuer))
    await loginAtProvider(page)
    await expect.poll(() => status(page)).toBe('authenticated')
    const tokenRequests: { at: number; status?: number; failed?: string }[] = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url() === `${issuer}/token`) tokenRequests.push({ at: Date.now() })
    })
    // Just before the renewal window: the page's clock jumps, its timers see it.
    await page.clock.fastForward(600_000 - 60_000 - 10_000 - inLeewayMs)
    return { page, tokenRequests }
  }

  it('first retry after 429 Retry-After: 10', { timeout: 120_000 }, async () => {
    const context = await newContext(browser)
    const { page, tokenRequests } = await tabInsideLeeway(context, 0)
    await failNext(issuer, { endpoint: 'token', status: 429, headers: { 'Retry-After': '10' }, times: 1 })
    const expiresAt = await testId(page, 'expires-at').textContent()
    await page.clock.fastForward(15_000) // into the renewal window
    await expect.poll(() => tokenRequests.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(2)
    await expect.poll(() => testId(page, 'expires-at').textContent(), { timeout: 30_000 }).not.toBe(expiresAt)
    const delay = (tokenRequests[1]!.at - tokenRequests[0]!.at) / 1000
    console.log(`| first retry after 429 Retry-After: 10 | ${delay.toFixed(2)} s |`)
    cadence.push(`\nfirst retry after \`429 Retry-After: 10\`: ${delay.toFixed(2)} s`)
    expect(await status(page)).toBe('authenticated')
    await context.close()
  })

  it('recovery after a burst (three 503s, a refused connection, a hang past http.timeoutMs)', { timeout: 180_000 }, async () => {
    const context = await newContext(browser)
    const { page, tokenRequests } = await tabInsideLeeway(context, 0)
    let seen = 0
    let recoveredAt = 0
    let succeededAt = 0
    await context.route(`${issuer}/token`, async (route) => {
      if (route.request().method() !== 'POST') return route.fallback()
      seen += 1
      if (seen <= 3) return route.fulfill({ status: 503, headers: { 'access-control-allow-origin': new URL(appUrl).origin }, body: '' })
      if (seen === 4) return route.abort('connectionrefused')
      if (seen === 5) {
        // Hangs past the client's 10 s timeout; the provider is back once the client gave up.
        await sleep(11_000)
        recoveredAt = Date.now() - 1_000
        return route.abort('timedout').catch(() => {})
      }
      const response = await route.fetch()
      if (response.ok() && !succeededAt) succeededAt = Date.now()
      return route.fulfill({ response })
    })
    await page.clock.fastForward(15_000)
    await expect.poll(() => succeededAt, { timeout: 120_000 }).toBeGreaterThan(0)
    const firstFailure = tokenRequests[0]!.at
    const line = `recovery: ${((succeededAt - recoveredAt) / 1000).toFixed(2)} s from the provider answering again to the next successful refresh; ${((succeededAt - firstFailure) / 1000).toFixed(1)} s after the first failure; ${seen} token requests`
    console.log(line)
    cadence.push(line)
    expect(await status(page)).toBe('authenticated')
    await context.close()
  })

  it('prints the results', () => {
    console.log(
      [
        '',
        '| lifetime | tabs | measured | refresh grants | grants per lifetime | mean time between grants (grants per lifetime) | API calls | API calls with an expired token | refresh token reuse |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
        ...cadence,
      ].join('\n'),
    )
  })
})
