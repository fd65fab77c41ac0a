// The React and Vue demos, as a person uses them: log in, see the name, call the API, watch the
// token renew, log out. Each adapter must hand the redirect callback to core exactly once.
import { describe, expect, inject, it } from 'vitest'
import { confirmProviderLogout, loginAtProvider, testId } from './support/browser'
import { providerStats, setAccessTokenTtl } from './support/provider'
import { page, useBrowser } from './support/useBrowser'

const issuer = inject('issuer')
const appUrl = inject('appUrl')

useBrowser({ restoreTtl: true })

const text = (id: string) => testId(page, id).textContent()

/** What both demos do once signed in: claims, userinfo with the token, a renewal, logout. */
async function useSignedInApp(pagePath: string): Promise<void> {
  expect(await text('user-name')).toBe('Alice')
  // user is the profile: the ID token's protocol claims (iss, aud, exp, nonce, ...) stay out.
  const claims = JSON.parse((await text('claims')) ?? 'null') as Record<string, unknown>
  expect(claims).toMatchObject({ sub: 'alice', name: 'Alice' })
  for (const protocol of ['iss', 'aud', 'exp', 'iat', 'nonce']) expect(claims).not.toHaveProperty(protocol)
  const address = new URL(page.url())
  expect(address.searchParams.has('code')).toBe(false)
  expect(address.searchParams.has('state')).toBe(false)
  expect(address.pathname).toBe(pagePath)
  // StrictMode, the router's first navigation and the guard all share one code exchange.
  expect((await providerStats(issuer)).grants.authorization_code).toBe(1)

  const left = Number(await text('expires-in'))
  expect(left).toBeGreaterThan(0)
  await expect.poll(async () => Number(await text('expires-in')), { timeout: 5000 }).toBeLessThan(left)

  await testId(page, 'call-api').click()
  await expect.poll(() => text('api-result')).toBe('sub=alice')

  await testId(page, 'renew').click()
  await expect.poll(() => text('renewals')).toBe('1')
  expect((await providerStats(issuer)).grants.refresh_token).toBe(1)
  expect(await text('token-info')).toMatch(/… \(\d+ chars\)$/)

  await testId(page, 'logout').click()
  await confirmProviderLogout(page, issuer, appUrl)
  await expect.poll(() => text('status')).toBe('unauthenticated')
  expect(await text('user-name')).toBe('')
  const stats = await providerStats(issuer)
  expect(stats.endSessions).toBe(1)
  expect(stats.revocations).toBe(1)
}

describe('React demo', () => {
  it('logs in with the button, opens the protected page, calls the API, renews and logs out', async () => {
    await page.goto(`${appUrl}/react.html`)
    await expect.poll(() => text('status')).toBe('unauthenticated')
    await testId(page, 'login').click()
    await page.waitForURL((url) => url.href.startsWith(issuer))
    await loginAtProvider(page)
    await expect.poll(() => text('status')).toBe('authenticated')
    await page.getByRole('link', { name: 'Account (protected)' }).click()
    await testId(page, 'account').waitFor()
    await useSignedInApp('/react.html')
  })

  it('sends a visitor of the protected page to the provider and back to that page', async () => {
    await page.goto(`${appUrl}/react.html#/account`)
    await page.waitForURL((url) => url.href.startsWith(issuer))
    await loginAtProvider(page)
    await testId(page, 'account').waitFor()
    expect(new URL(page.url()).hash).toBe('#/account')
    await useSignedInApp('/react.html')
  })
})

describe('Vue demo', () => {
  it('sends a visitor of the protected route to the provider and back to that route', async () => {
    await page.goto(`${appUrl}/vue.html#/account`)
    await page.waitForURL((url) => url.href.startsWith(issuer))
    await loginAtProvider(page)
    await testId(page, 'account').waitFor()
    expect(new URL(page.url()).hash).toBe('#/account')
    await useSignedInApp('/vue.html')
  })

  it('logs in with the button and keeps the session across a reload without asking the provider', async () => {
    await page.goto(`${appUrl}/vue.html`)
    await expect.poll(() => text('status')).toBe('unauthenticated')
    await testId(page, 'login').click()
    await page.waitForURL((url) => url.href.startsWith(issuer))
    await loginAtProvider(page)
    await expect.poll(() => text('user-name')).toBe('Alice')
    const requests = (await providerStats(issuer)).requests
    await page.reload()
    await expect.poll(() => text('user-name')).toBe('Alice')
    expect((await providerStats(issuer)).requests).toBe(requests)
    await page.getByRole('link', { name: 'Account (protected)' }).click()
    await testId(page, 'account').waitFor()
    await useSignedInApp('/vue.html')
  })
})

describe('popup login in the demos (the README says both pages have it)', () => {
  for (const demo of ['react', 'vue']) {
    it(`the ${demo} demo signs in with a popup without leaving the page`, async () => {
      await page.goto(`${appUrl}/${demo}.html`)
      await expect.poll(() => text('status')).toBe('unauthenticated')
      const before = page.url()
      const opened = page.waitForEvent('popup')
      await testId(page, 'login-popup').click()
      const popup = await opened
      const closed = popup.waitForEvent('close', { timeout: 15_000 })
      await popup.waitForURL((url) => url.href.startsWith(issuer))
      await popup.locator('input[name="login"]').fill('alice')
      await popup.locator('input[name="password"]').fill('secret')
      await popup.locator('button[type="submit"]').click()
      await closed
      await expect.poll(() => text('user-name')).toBe('Alice')
      expect(page.url()).toBe(before)
      expect((await providerStats(issuer)).grants.authorization_code).toBe(1)
    })
  }
})

describe('token lifetime in the demos', () => {
  for (const demo of ['react', 'vue']) {
    it(`the ${demo} demo renews a short-lived token by itself, and the countdown starts over`, async () => {
      // A 20 s token is renewed after 87.5-90 % of its life (the 60 s leeway is capped at a tenth).
      await setAccessTokenTtl(issuer, 20)
      await page.goto(`${appUrl}/${demo}.html`)
      await testId(page, 'login').click()
      await page.waitForURL((url) => url.href.startsWith(issuer))
      await loginAtProvider(page)
      await expect.poll(() => text('user-name')).toBe('Alice')
      expect(Number(await text('expires-in'))).toBeGreaterThan(15)
      await expect.poll(async () => Number(await text('renewals')), { timeout: 20_000 }).toBeGreaterThanOrEqual(1)
      expect(Number(await text('expires-in'))).toBeGreaterThan(15)
      expect((await providerStats(issuer)).grants.refresh_token).toBeGreaterThanOrEqual(1)
      expect(await text('status')).toBe('authenticated')
    })
  }
})

describe('app state through login in the demos', () => {
  for (const demo of ['react', 'vue']) {
    it(`the ${demo} demo keeps a draft typed before logging in, through the provider, in appState`, async () => {
      const requested: string[] = []
      page.on('request', (request) => void requested.push(request.url()))
      await page.goto(`${appUrl}/${demo}.html`)
      await expect.poll(() => text('status')).toBe('unauthenticated')
      await testId(page, 'draft').fill('half-written-7')
      await testId(page, 'login-with-draft').click()
      await page.waitForURL((url) => url.href.startsWith(issuer))
      await loginAtProvider(page)
      await expect.poll(() => text('status')).toBe('authenticated')
      expect(await text('restored-draft')).toBe('half-written-7')
      expect(await testId(page, 'draft').inputValue()).toBe('half-written-7')
      expect(requested.filter((u) => u.includes('half-written'))).toEqual([])
    })
  }
})
