// A person signs in by redirect, reloads, and signs out; and a forged callback changes nothing.
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { confirmProviderLogout, loginAtProvider, testId } from './support/browser'
import { providerStats } from './support/provider'
import { page, useBrowser } from './support/useBrowser'

const issuer = inject('issuer')
const appUrl = inject('appUrl')

useBrowser()

const sessionStorageDump = (p: Page) =>
  p.evaluate(() => JSON.stringify(Object.entries(sessionStorage).sort(([a], [b]) => a.localeCompare(b))))

async function signIn(p: Page, login = 'alice'): Promise<void> {
  await p.goto(`${appUrl}/?storage=session`)
  await expect.poll(() => testId(p, 'status').textContent()).toBe('unauthenticated')
  await testId(p, 'login').click()
  await p.waitForURL((url) => url.href.startsWith(issuer))
  await loginAtProvider(p, { login })
  await expect.poll(() => testId(p, 'status').textContent()).toBe('authenticated')
}

describe('redirect login', () => {
  it('signs in, survives a reload without asking the provider, and signs out everywhere', async () => {
    await signIn(page)
    expect(await testId(page, 'user-name').textContent()).toBe('Alice')
    expect(await testId(page, 'user-sub').textContent()).toBe('alice')
    expect(Number(await testId(page, 'expires-in').textContent())).toBeGreaterThan(0)
    const landed = new URL(page.url())
    expect(landed.searchParams.has('code')).toBe(false)
    expect(landed.searchParams.has('state')).toBe(false)
    expect(landed.pathname).toBe('/')

    const afterLogin = await providerStats(issuer)
    expect(afterLogin.grants.authorization_code).toBe(1)

    await page.reload()
    await expect.poll(() => testId(page, 'status').textContent()).toBe('authenticated')
    expect(await testId(page, 'user-name').textContent()).toBe('Alice')
    expect((await providerStats(issuer)).requests).toBe(afterLogin.requests)

    await testId(page, 'call-api').click()
    await expect.poll(() => testId(page, 'api-result').textContent()).toBe('sub=alice')

    await testId(page, 'logout').click()
    await confirmProviderLogout(page, issuer, appUrl)
    await expect.poll(() => testId(page, 'status').textContent()).toBe('unauthenticated')
    const afterLogout = await providerStats(issuer)
    expect(afterLogout.endSessions).toBe(1)
    expect(afterLogout.revocations).toBe(1)

    await page.reload()
    await expect.poll(() => testId(page, 'status').textContent()).toBe('unauthenticated')
    expect(await sessionStorageDump(page)).not.toContain('accessToken')
  })

  it('a forged callback shows ERR_CALLBACK_STATE_MISMATCH and leaves the stored session as it was', async () => {
    await signIn(page)
    const before = await sessionStorageDump(page)
    const requestsBefore = (await providerStats(issuer)).requests

    await page.goto(`${appUrl}/callback?code=stolen-code&state=forged-state`)
    await expect.poll(() => testId(page, 'error-code').textContent()).toBe('ERR_CALLBACK_STATE_MISMATCH')
    expect(await testId(page, 'status').textContent()).toBe('authenticated')
    expect(await sessionStorageDump(page)).toBe(before)
    const url = new URL(page.url())
    expect(url.searchParams.has('code')).toBe(false)
    expect(url.searchParams.has('state')).toBe(false)
    // Nothing was sent to the provider: no code exchange for a login we never started.
    expect((await providerStats(issuer)).requests).toBe(requestsBefore)

    // Still usable.
    await testId(page, 'call-api').click()
    await expect.poll(() => testId(page, 'api-result').textContent()).toBe('sub=alice')
  })

  it('a replayed callback fails cleanly and the provider sees no second code exchange', async () => {
    await page.goto(`${appUrl}/?storage=session`)
    await testId(page, 'login').click()
    await page.waitForURL((url) => url.href.startsWith(issuer))
    let callbackUrl = ''
    page.on('request', (r) => {
      if (r.isNavigationRequest() && r.url().startsWith(`${appUrl}/callback`)) callbackUrl = r.url()
    })
    await loginAtProvider(page)
    await expect.poll(() => testId(page, 'status').textContent()).toBe('authenticated')
    expect(callbackUrl).toContain('code=')
    const before = await sessionStorageDump(page)

    await page.goto(callbackUrl)
    await expect.poll(() => testId(page, 'error-code').textContent()).toBe('ERR_CALLBACK_STATE_MISMATCH')
    expect(await sessionStorageDump(page)).toBe(before)
    expect((await providerStats(issuer)).grants.authorization_code).toBe(1)
  })
})
