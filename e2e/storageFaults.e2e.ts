// Sign-in on pages whose storage is broken, in Chromium against the real provider. A popup login
// must work where nothing persists; a redirect login must either come back signed in (pending
// logins kept in sessionStorage when that works) or refuse before leaving the page, never come
// back to ERR_CALLBACK_STATE_MISMATCH (regression: write-only sessionStorage broke popup logins).
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { loginAtProvider, signInByPopup, testId } from './support/browser'
import { providerStats } from './support/provider'
import { injectStorageFault, storeFor, type StorageFault } from './support/storageFaults'
import { context, useBrowser } from './support/useBrowser'

const issuer = inject('issuer')
const appUrl = inject('appUrl')

// The page opens after the fault is injected into the context (openBrokenApp).
useBrowser({ launch: { popupBlocking: true }, page: false })
let page: Page

const status = (p: Page = page) => testId(p, 'status').textContent()
const loginResult = () => testId(page, 'login-result').textContent()

async function openBrokenApp(fault: StorageFault): Promise<void> {
  await injectStorageFault(context, fault, new URL(appUrl).origin)
  page = await context.newPage()
  await page.goto(`${appUrl}/?storage=${storeFor[fault]}`)
  // A blocked IndexedDB is given up after the storage timeout (5 s).
  await expect.poll(() => status(), { timeout: 15_000 }).toBe('unauthenticated')
}

async function popupLogin(): Promise<void> {
  return signInByPopup(page, 'login-popup', issuer)
}

const faults: StorageFault[] = ['write-only', 'read', 'idb-blocked', 'quota']

describe.each(faults)('storage fault: %s', (fault) => {
  it('popup login signs in, and the page shows ERR_STORAGE (nothing persists)', async () => {
    await openBrokenApp(fault)
    await popupLogin()
    await expect.poll(() => status(), { timeout: 15_000 }).toBe('authenticated')
    expect(await loginResult()).toBe('ok')
    expect(await testId(page, 'user-name').textContent()).toBe('Alice')
    expect(await testId(page, 'warning-code').textContent()).toBe('ERR_STORAGE')
    expect((await providerStats(issuer)).grants.authorization_code).toBe(1)
    await testId(page, 'call-api').click()
    await expect.poll(() => testId(page, 'api-result').textContent()).toBe('sub=alice')
  })

  it(
    fault === 'idb-blocked'
      ? 'redirect login comes back signed in (the pending login waits in sessionStorage)'
      : 'redirect login refuses before leaving the page: ERR_STORAGE, no request to the provider',
    async () => {
      await openBrokenApp(fault)
      const before = page.url()
      await testId(page, 'login').click()
      if (fault === 'idb-blocked') {
        await page.waitForURL((url) => url.href.startsWith(issuer))
        await loginAtProvider(page)
        await expect.poll(() => status(), { timeout: 15_000 }).toBe('authenticated')
        expect(await testId(page, 'user-name').textContent()).toBe('Alice')
        expect(await testId(page, 'warning-code').textContent()).toBe('ERR_STORAGE')
        return
      }
      await expect.poll(() => loginResult()).toBe('ERR_STORAGE')
      expect(page.url()).toBe(before)
      expect(await status()).toBe('unauthenticated')
      expect(await testId(page, 'error-message').textContent()).toMatch(/popup/i)
      const stats = await providerStats(issuer)
      expect(stats.authorizations.total).toBe(0)
      expect(stats.grantErrors).toEqual([])
    },
  )
})
