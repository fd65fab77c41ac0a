// Providers that bend the standard, played by the dev provider's differ modes (POST /__dev/differ),
// and the `provider` option that gets an app through: without it, what the user sees says what the
// provider answered and which option to set; with it, sign-in, refresh and logout work, and logout
// revokes at an endpoint the provider does not advertise. Real Chromium, real provider.
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
// @ts-expect-error plain ESM module without types
import { CLIENT_ID } from '../demo/op/provider.mjs'
import { confirmProviderLogout, loginAtProvider, testId } from './support/browser'
import { providerStats, refreshStatus, setDiffer, setRefreshTokens, userinfoStatus, type DifferModes } from './support/provider'
import { page, useBrowser } from './support/useBrowser'

const issuer = inject('issuer')
const appUrl = inject('appUrl')
const SLASHED = '/.well-known/openid-configuration/'

useBrowser()

const status = (p: Page) => testId(p, 'status').textContent()
const errorCode = (p: Page) => testId(p, 'error-code').textContent()
const errorMessage = (p: Page) => testId(p, 'error-message').textContent()
/** A problem the client handles while the session lasts (snapshot.warning), such as a failed silent renewal. */
const warningCode = (p: Page) => testId(p, 'warning-code').textContent()
const warningMessage = (p: Page) => testId(p, 'warning-message').textContent()

interface StoredSession {
  accessToken: string
  refreshToken?: string
}
const storedSession = (p: Page) =>
  p.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.endsWith(':session'))
    return key ? (JSON.parse(sessionStorage.getItem(key)!) as StoredSession) : null
  })

/** getAccessToken({ forceRefresh: true }) in the page: 'token', or the error code. */
const forceRefresh = (p: Page) =>
  p.evaluate(() =>
    (window as unknown as { __tk: { getAccessToken(o: object): Promise<string> } }).__tk
      .getAccessToken({ forceRefresh: true })
      .then(() => 'token', (e: { code?: string }) => `error:${e.code}`),
  )

/** Opens the demo with `provider` as its `provider` option (none when undefined) and the other query switches. */
async function openApp(provider: object | undefined, query = ''): Promise<void> {
  const q = new URLSearchParams(query)
  q.set('provider', provider ? JSON.stringify(provider) : '')
  await page.goto(`${appUrl}/?${q}`)
  await expect.poll(() => status(page), { timeout: 30_000 }).toBe('unauthenticated')
}

/** Clicks "Log in", signs in at the provider and waits for Alice. */
async function signIn(): Promise<void> {
  await testId(page, 'login').click()
  await page.waitForURL((u) => u.href.startsWith(issuer), { timeout: 30_000 })
  await loginAtProvider(page, { appUrl })
  await expect.poll(() => status(page), { timeout: 30_000 }).toBe('authenticated')
  expect(await testId(page, 'user-name').textContent()).toBe('Alice')
}

/**
 * Logs out and waits until the app is signed out with no error: through the provider's
 * end-session page, or `localOnly` (the provider session stays: a refresh token that logout did
 * not revoke then still works there).
 */
async function logOut(localOnly = false): Promise<void> {
  if (localOnly) {
    await page.evaluate(() => (window as unknown as { __tk: { logout(o: object): Promise<void> } }).__tk.logout({ localOnly: true }))
  } else {
    await testId(page, 'logout').click()
    await confirmProviderLogout(page, issuer, appUrl)
  }
  await expect.poll(() => status(page), { timeout: 30_000 }).toBe('unauthenticated')
  expect(await errorCode(page)).toBe('')
}

/** Sign-in, a refresh, and logout with the app's `provider` option; returns the refresh token logout had. */
async function fullSession(provider: object | undefined, localOnly = false): Promise<string> {
  await openApp(provider)
  await signIn()
  const first = (await storedSession(page))!
  expect(await forceRefresh(page)).toBe('token')
  const second = (await storedSession(page))!
  expect(second.accessToken).not.toBe(first.accessToken)
  expect(second.refreshToken).toBeTruthy()
  await logOut(localOnly)
  return second.refreshToken!
}

describe('discovery only at another path: the standard one answers 301', () => {
  const modes: DifferModes = { discoveryPath: SLASHED }

  it('without the option, "Log in" shows ERR_DISCOVERY naming the address asked, the redirect, its Location and provider.metadataUrl; nothing else is asked', async () => {
    await setDiffer(issuer, modes)
    await openApp(undefined)
    await testId(page, 'login').click()
    await expect.poll(() => errorCode(page), { timeout: 30_000 }).toBe('ERR_DISCOVERY')
    const message = (await errorMessage(page))!
    expect(message).toContain(`GET ${issuer}/.well-known/openid-configuration answered a redirect`)
    expect(message).toContain(`with Location ${issuer}${SLASHED}`)
    expect(message).toContain(`set provider.metadataUrl to '${issuer}${SLASHED}'`)
    expect(page.url().startsWith(appUrl)).toBe(true)
    expect(await status(page)).toBe('unauthenticated')
    // The redirect was asked about (once by the request, once to read its Location), never used.
    const log = (await providerStats(issuer)).requestLog
    expect(log.filter((r) => r.includes('openid-configuration'))).toEqual([
      'GET /.well-known/openid-configuration',
      'GET /.well-known/openid-configuration',
      `GET ${SLASHED}`,
    ])
    expect(log.filter((r) => r.startsWith('GET /auth'))).toEqual([])
  })

  it('with provider.metadataUrl: sign-in, refresh and logout work, and the metadata comes from that address only', async () => {
    await setDiffer(issuer, modes)
    const refreshToken = await fullSession({ metadataUrl: `${issuer}${SLASHED}` })
    const stats = await providerStats(issuer)
    expect(stats.requestLog.filter((r) => r.includes('openid-configuration'))).toEqual([`GET ${SLASHED}`])
    expect(stats.grants.refresh_token).toBe(1)
    expect(stats.revocations).toBe(1)
    expect(await refreshStatus(issuer, CLIENT_ID, refreshToken)).toBe(400)
  })
})

describe('a revocation endpoint the metadata does not advertise', () => {
  const modes: DifferModes = { hideRevocation: true }

  // Logout here keeps the provider session (localOnly), so only revocation can end the refresh
  // token: the provider ends it with the session on RP-initiated logout anyway.
  it('without the option, logout cannot revoke: the refresh token left behind still works at the provider', async () => {
    await setDiffer(issuer, modes)
    const refreshToken = await fullSession(undefined, true)
    expect((await providerStats(issuer)).revocations).toBe(0)
    expect(await refreshStatus(issuer, CLIENT_ID, refreshToken)).toBe(200)
  })

  it('with provider.metadataSeed.revocation_endpoint, logout revokes there and the provider then refuses the refresh token', async () => {
    await setDiffer(issuer, modes)
    const refreshToken = await fullSession({ metadataSeed: { revocation_endpoint: `${issuer}/token/revocation` } }, true)
    const stats = await providerStats(issuer)
    expect(stats.revocations).toBe(1)
    expect(stats.requestLog).toContain('POST /token/revocation')
    expect(await refreshStatus(issuer, CLIENT_ID, refreshToken)).toBe(400)
  })
})

describe('a refresh that rotates also revokes the previous access token', () => {
  it('the app uses the new token at once: the provider refuses the old one and accepts the new one', async () => {
    await setDiffer(issuer, { rotationRevokesAccessToken: true })
    await openApp(undefined, 'userinfo=refresh')
    await signIn()
    const before = (await storedSession(page))!
    expect(await forceRefresh(page)).toBe('token')
    const after = (await storedSession(page))!
    const stats = await providerStats(issuer)
    expect(stats.accessTokensRevokedOnRotation).toBe(1)
    // The app's userinfo calls (after sign-in, after the refresh: userinfo=refresh) each used a live token.
    expect(stats.userinfoAnswers).toEqual({ ok: 2, rejected: 0 })
    expect(await userinfoStatus(issuer, before.accessToken)).toBe(401)
    expect(await userinfoStatus(issuer, after.accessToken)).toBe(200)
    expect(await status(page)).toBe('authenticated')
    expect(await errorCode(page)).toBe('')
    await logOut()
  })
})

describe('prompt=none answered with an HTML error page instead of login_required', () => {
  it('silent renewal ends with ERR_SILENT_AUTH, not a hang; the session is kept while its token is valid', async () => {
    await setDiffer(issuer, { silentErrorPage: true })
    await setRefreshTokens(issuer, false)
    try {
      await openApp(undefined, 'silent=1&silentTimeout=3000')
      await signIn()
      const started = Date.now()
      // The renewal fails; the access token is still valid, so the caller still gets it.
      expect(await forceRefresh(page)).toBe('token')
      const tookMs = Date.now() - started
      expect((await providerStats(issuer)).silentErrorPages).toBe(1)
      // A warning, not an error: the session is still valid and the renewal is retried.
      await expect.poll(() => warningCode(page), { timeout: 10_000 }).toBe('ERR_SILENT_AUTH')
      expect(await warningMessage(page)).toContain('answers prompt=none with a page of its own')
      expect(await errorCode(page)).toBe('')
      expect(tookMs).toBeLessThan(3000 + 1000)
      expect(await status(page)).toBe('authenticated')
    } finally {
      await setRefreshTokens(issuer, true)
      await page.goto(`${appUrl}/?silent=0`)
    }
  })
})

describe('all four at once, with the options', () => {
  it('sign-in, refresh and logout work; logout revokes at the unadvertised endpoint', async () => {
    await setDiffer(issuer, { discoveryPath: SLASHED, hideRevocation: true, rotationRevokesAccessToken: true, silentErrorPage: true })
    const refreshToken = await fullSession({
      metadataUrl: `${issuer}${SLASHED}`,
      metadataSeed: { revocation_endpoint: `${issuer}/token/revocation` },
    })
    const stats = await providerStats(issuer)
    expect(stats.revocations).toBe(1)
    expect(stats.accessTokensRevokedOnRotation).toBeGreaterThanOrEqual(1)
    expect(await refreshStatus(issuer, CLIENT_ID, refreshToken)).toBe(400)
  })

  it('static metadata: no discovery request at all', async () => {
    await setDiffer(issuer, { discoveryPath: SLASHED, hideRevocation: true })
    const metadata = (await (await fetch(`${issuer}${SLASHED}`)).json()) as Record<string, unknown>
    await fetch(`${issuer}/__dev/reset`, { method: 'POST' })
    await setDiffer(issuer, { discoveryPath: SLASHED, hideRevocation: true })
    const refreshToken = await fullSession({ metadata: { ...metadata, revocation_endpoint: `${issuer}/token/revocation` } })
    const stats = await providerStats(issuer)
    expect(stats.requestLog.filter((r) => r.includes('openid-configuration'))).toEqual([])
    expect(stats.revocations).toBe(1)
    expect(await refreshStatus(issuer, CLIENT_ID, refreshToken)).toBe(400)
  })
})
