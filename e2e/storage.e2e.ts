// Where tokens live decides what survives a reload, a closed tab and a broken store.
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { loginAtProvider, testId } from './support/browser'
import { providerStats } from './support/provider'
import { context, useBrowser } from './support/useBrowser'

const issuer = inject('issuer')
const appUrl = inject('appUrl')

useBrowser({ page: false })

const status = (p: Page) => testId(p, 'status').textContent()

async function signInWith(storage: string): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${appUrl}/?storage=${storage}`)
  await expect.poll(() => status(page)).not.toBe('loading')
  await testId(page, 'login').click()
  await page.waitForURL((url) => url.href.startsWith(issuer))
  await loginAtProvider(page)
  await expect.poll(() => status(page)).toBe('authenticated')
  return page
}

describe('storage', () => {
  it("'indexeddb': restored on reload and in a new tab, with no request to the provider", async () => {
    const page = await signInWith('indexeddb')
    const requests = (await providerStats(issuer)).requests
    await page.reload()
    await expect.poll(() => status(page)).toBe('authenticated')
    await page.close()

    const tab = await context.newPage()
    await tab.goto(appUrl)
    await expect.poll(() => status(tab)).toBe('authenticated')
    expect(await testId(tab, 'user-name').textContent()).toBe('Alice')
    expect((await providerStats(issuer)).requests).toBe(requests)
  })

  it("'memory': a redirect login comes back (ERR_CALLBACK_STATE_MISMATCH every time before); no token outlives the page", async () => {
    const page = await signInWith('memory')
    expect(await testId(page, 'user-name').textContent()).toBe('Alice')
    expect(await testId(page, 'error-code').textContent()).toBe('')
    // Nothing is left in the page's stores: the used transaction is gone, the tokens never came.
    expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('tk:') && !k.endsWith(':tab')))).toEqual([])
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tk:')))).toEqual([])
    await page.reload()
    await expect.poll(() => status(page)).toBe('unauthenticated')
  })

  it("'session': a new tab starts signed out (sessionStorage dies with its tab)", async () => {
    const page = await signInWith('session')
    await page.close()
    const tab = await context.newPage()
    await tab.goto(appUrl)
    await expect.poll(() => status(tab)).toBe('unauthenticated')
  })

  it('an app-written store is used for everything and restores the session', async () => {
    const page = await signInWith('custom')
    const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('demo-custom:')))
    expect(keys.some((k) => k.endsWith(':session'))).toBe(true)
    expect(await page.evaluate(() => Object.keys(sessionStorage).length)).toBe(0)
    const requests = (await providerStats(issuer)).requests
    await page.reload()
    await expect.poll(() => status(page)).toBe('authenticated')
    expect((await providerStats(issuer)).requests).toBe(requests)
  })

  it('a store that throws on every call: ERR_STORAGE shown, sign-in still works for the page', async () => {
    const page = await context.newPage()
    const warnings: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text())
    })
    await page.goto(`${appUrl}/?storage=broken`)
    await expect.poll(() => testId(page, 'warning-code').textContent()).toBe('ERR_STORAGE')
    expect(await status(page)).toBe('unauthenticated')
    expect(warnings.filter((w) => w.includes('tokenkeep'))).toHaveLength(1) // one per page load
    warnings.length = 0

    await testId(page, 'login').click()
    await page.waitForURL((url) => url.href.startsWith(issuer))
    await loginAtProvider(page)
    await expect.poll(() => status(page)).toBe('authenticated')
    expect(await testId(page, 'user-name').textContent()).toBe('Alice')
    expect(await testId(page, 'warning-code').textContent()).toBe('ERR_STORAGE')
    await testId(page, 'call-api').click()
    await expect.poll(() => testId(page, 'api-result').textContent()).toBe('sub=alice')
    expect(warnings.filter((w) => w.includes('tokenkeep'))).toHaveLength(1)

    // Tokens were never written anywhere that outlives the page.
    expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }))).not.toContain('accessToken')
    await page.reload()
    await expect.poll(() => status(page)).toBe('unauthenticated')
  })
})
