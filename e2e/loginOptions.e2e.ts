// A person uses the login options of the vanilla demo against the dev provider, by redirect and
// by popup: app state through the login, re-authentication and step-up while signed in, RFC 8707
// resource indicators, userinfo claims, and the debug log, which must never print a secret.
import type { Page } from 'playwright-core'
import { beforeEach, describe, expect, inject, it } from 'vitest'
import { loginAtProvider, signInByPopup, testId } from './support/browser'
import { providerStats } from './support/provider'
import { context, page, useBrowser } from './support/useBrowser'

const issuer = inject('issuer')
const appUrl = inject('appUrl')
const API = 'https://api.example.test/'
const BILLING = 'https://billing.example.test/'
const MFA = 'urn:tokenkeep:mfa'

/** Every URL the browser asked for, in any page of the context (popups too). */
let urls: string[]

// The popup blocker stays on, as in a user's browser: popups open only inside a click.
useBrowser({ launch: { popupBlocking: true } })
beforeEach(() => {
  urls = []
  context.on('request', (request) => void urls.push(request.url()))
})

const text = (id: string, p: Page = page) => testId(p, id).textContent()

/** Opens the demo with the given switches (remembered across the trip to the provider). */
async function openApp(query = ''): Promise<void> {
  const params = new URLSearchParams({ storage: 'session', userinfo: '0', logger: '0' })
  for (const [name, value] of new URLSearchParams(query)) params.set(name, value)
  await page.goto(`${appUrl}/?${params}`)
  await expect.poll(() => text('status')).toMatch(/unauthenticated|authenticated/)
}

/** Fills the "Login options" form; empty strings clear a field. */
async function setLoginOptions(options: { prompt?: string; maxAgeS?: string; acr?: string; loginHint?: string; uiLocales?: string; resource?: string; appState?: string }) {
  if (options.prompt !== undefined) await testId(page, 'opt-prompt').selectOption(options.prompt)
  const fields = { maxAgeS: 'opt-max-age', acr: 'opt-acr', loginHint: 'opt-login-hint', uiLocales: 'opt-ui-locales', resource: 'opt-resource', appState: 'opt-app-state' } as const
  for (const [key, id] of Object.entries(fields)) {
    const value = options[key as keyof typeof fields]
    if (value !== undefined) await testId(page, id).fill(value)
  }
}

async function redirectSignIn(button = 'login'): Promise<void> {
  await testId(page, button).click()
  await page.waitForURL((url) => url.href.startsWith(issuer))
  await loginAtProvider(page)
  await expect.poll(() => text('status')).toBe('authenticated')
}

/** Clicks a popup button, signs in on the provider's form in the popup, waits for it to close. */
async function popupSignIn(button = 'login-popup'): Promise<void> {
  return signInByPopup(page, button, issuer)
}

const storedSession = () =>
  page.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.endsWith(':session'))
    return key ? (JSON.parse(sessionStorage.getItem(key)!) as { accessToken: string; seq: number }) : undefined
  })

/** The claims of a JWT access token, read by the test (the app never shows a whole token). */
const jwtClaims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>
const accessToken = (forceRefresh = false) =>
  page.evaluate((force) => (window as unknown as { __tk: { getAccessToken(o: object): Promise<string> } }).__tk.getAccessToken({ forceRefresh: force }), forceRefresh)

describe('app state through login', () => {
  it('redirect: a note typed before logging in comes back after the provider, and never travels in a URL', async () => {
    await openApp()
    await setLoginOptions({ appState: 'draft-4711' })
    await redirectSignIn()
    expect(JSON.parse((await text('app-state')) ?? '')).toEqual({ note: 'draft-4711', from: '/' })
    expect(urls.filter((u) => u.includes('draft-4711'))).toEqual([])
    // A reload restores the session, not the sign-in: no app state any more.
    await page.reload()
    await expect.poll(() => text('status')).toBe('authenticated')
    expect(await text('app-state')).toBe('')
  })

  it('popup: the same through a popup sign-in', async () => {
    await openApp()
    await setLoginOptions({ appState: 'popup-note-9' })
    await popupSignIn()
    await expect.poll(() => text('status')).toBe('authenticated')
    expect(JSON.parse((await text('app-state')) ?? '')).toEqual({ note: 'popup-note-9', from: '/' })
    expect(urls.filter((u) => u.includes('popup-note-9'))).toEqual([])
  })
})

describe('re-authentication and step-up while signed in', () => {
  it('redirect: maxAgeS 0 with prompt login shows the provider form again (pre-filled by loginHint) and renews auth_time', async () => {
    await openApp()
    // With max_age the provider puts auth_time in the ID token (and the client requires it).
    await setLoginOptions({ maxAgeS: '3600' })
    await redirectSignIn()
    const firstAuth = Date.parse((await text('user-auth-time')) ?? '')
    expect(firstAuth).toBeGreaterThan(0)
    const before = await storedSession()
    await page.waitForTimeout(1100) // auth_time has whole seconds
    await setLoginOptions({ prompt: 'login', maxAgeS: '0', loginHint: 'alice', uiLocales: 'de en' })
    await testId(page, 'reauth').click()
    await page.waitForURL((url) => url.href.startsWith(issuer))
    expect(await page.locator('input[name="login"]').inputValue()).toBe('alice')
    await loginAtProvider(page)
    await expect.poll(async () => Date.parse((await text('user-auth-time')) ?? '')).toBeGreaterThan(firstAuth)
    expect(await text('status')).toBe('authenticated')
    expect(await text('error-code')).toBe('')
    expect((await storedSession())!.seq).toBe(before!.seq + 1)
    // What the browser carried to the provider (oidc-provider folds max_age=0 into prompt=login
    // before its own records see it).
    const sent = new URL(urls.filter((u) => u.startsWith(`${issuer}/auth?`)).at(-1)!).searchParams
    expect(Object.fromEntries(['prompt', 'max_age', 'login_hint', 'ui_locales'].map((k) => [k, sent.get(k)]))).toEqual({
      prompt: 'login',
      max_age: '0',
      login_hint: 'alice',
      ui_locales: 'de en',
    })
    expect((await providerStats(issuer)).authorizationParams.at(-1)).toMatchObject({ prompt: 'login', login_hint: 'alice', ui_locales: 'de en' })
  })

  it('popup: a step-up to an acr the provider supports signs in again with it', async () => {
    await openApp()
    await setLoginOptions({ acr: 'urn:tokenkeep:pwd' })
    await redirectSignIn()
    expect(await text('user-acr')).toBe('urn:tokenkeep:pwd')
    await setLoginOptions({ prompt: 'login', acr: MFA })
    await popupSignIn('reauth-popup')
    await expect.poll(() => text('user-acr')).toBe(MFA)
    expect(await text('login-result')).toBe('ok')
    expect((await providerStats(issuer)).authorizationParams.at(-1)).toMatchObject({ acr_values: MFA })
  })

  it('redirect and popup: a step-up the provider does not satisfy keeps the session signed in before', async () => {
    await openApp()
    await setLoginOptions({ acr: 'urn:tokenkeep:pwd' })
    await redirectSignIn()
    const before = await storedSession()
    // The dev provider cannot do this acr: it signs the user in with its default one instead.
    await setLoginOptions({ prompt: 'login', acr: 'urn:tokenkeep:hardware-key' })
    await redirectSignIn('reauth')
    await expect.poll(() => text('error-code')).toBe('ERR_ACR_MISMATCH')
    expect(await text('status')).toBe('authenticated')
    expect(await text('user-acr')).toBe('urn:tokenkeep:pwd')
    expect(await storedSession()).toEqual(before)

    // The page came back from the provider: the form is empty again.
    await setLoginOptions({ prompt: 'login', acr: 'urn:tokenkeep:hardware-key' })
    await popupSignIn('reauth-popup')
    await expect.poll(() => text('login-result')).toBe('ERR_ACR_MISMATCH')
    expect(await text('status')).toBe('authenticated')
    expect(await storedSession()).toEqual(before)
    expect(await accessToken()).toBe(before!.accessToken)
  })
})

describe('resource indicators (RFC 8707)', () => {
  it('two APIs: the grant covers both, the token is for the first, and every refresh asks for both again', async () => {
    await openApp()
    await setLoginOptions({ resource: `${API} ${BILLING}` })
    await redirectSignIn()
    const stats = await providerStats(issuer)
    expect(stats.authorizationParams.at(-1)!.resource).toEqual([API, BILLING])
    expect(stats.tokenResources).toEqual([{ grantType: 'authorization_code', resource: [API, BILLING] }])
    expect(jwtClaims(await accessToken())).toMatchObject({ aud: API, sub: 'alice' })

    // After a reload, the stored session still knows what it was signed in for.
    await page.reload()
    await expect.poll(() => text('status')).toBe('authenticated')
    const renewed = await accessToken(true)
    expect(jwtClaims(renewed)).toMatchObject({ aud: API })
    expect((await providerStats(issuer)).tokenResources.at(-1)).toEqual({ grantType: 'refresh_token', resource: [API, BILLING] })
  })

  it('popup: one API, on the authorization request and the code exchange', async () => {
    await openApp()
    await setLoginOptions({ resource: BILLING })
    await popupSignIn()
    await expect.poll(() => text('status')).toBe('authenticated')
    expect((await providerStats(issuer)).tokenResources).toEqual([{ grantType: 'authorization_code', resource: [BILLING] }])
    expect(jwtClaims(await accessToken())).toMatchObject({ aud: BILLING })
  })
})

describe('userinfo', () => {
  it('redirect, userinfo on: a claim only userinfo has shows after sign-in; a refresh asks nothing more', async () => {
    await openApp('&userinfo=1')
    await redirectSignIn()
    expect(await text('user-picture')).toBe(`${issuer}/__dev/picture/alice.png`)
    expect(await text('user-name')).toBe('Alice')
    expect((await providerStats(issuer)).userinfo).toBe(1)
    await accessToken(true)
    expect((await providerStats(issuer)).userinfo).toBe(1)
  })

  it('popup, userinfo after refresh too: fetched after the sign-in and again after a renewal', async () => {
    await openApp('&userinfo=refresh')
    await popupSignIn()
    await expect.poll(() => text('user-picture')).toBe(`${issuer}/__dev/picture/alice.png`)
    expect((await providerStats(issuer)).userinfo).toBe(1)
    await accessToken(true)
    await expect.poll(async () => (await providerStats(issuer)).userinfo).toBe(2)
    expect(await text('error-code')).toBe('')
  })

  it('off (the default): getUser() has the ID token claims only', async () => {
    await openApp()
    await redirectSignIn()
    expect(await text('user-picture')).toBe('')
    expect((await providerStats(issuer)).userinfo).toBe(0)
  })
})

describe('debug logger', () => {
  it('logger: console tells what the client decided, and never prints a token, code, verifier or state', async () => {
    const printed: string[] = []
    // The text and each argument's value: objects printed with a line are searched too.
    const listen = (p: Page) =>
      p.on('console', (m) => {
        printed.push(m.text())
        for (const arg of m.args()) void arg.jsonValue().then((v) => printed.push(JSON.stringify(v)), () => {})
      })
    listen(page)
    context.on('page', listen)
    // Every secret that crosses the network, collected from the requests and responses themselves.
    const secrets = new Set<string>()
    context.on('request', (request) => {
      const url = new URL(request.url())
      for (const name of ['code', 'state', 'nonce', 'code_challenge']) {
        const v = url.searchParams.get(name)
        if (v) secrets.add(v)
      }
      const body = request.postData()
      if (body && request.method() === 'POST') {
        for (const [name, value] of new URLSearchParams(body)) if (['code', 'code_verifier', 'refresh_token', 'token', 'state', 'nonce'].includes(name)) secrets.add(value)
      }
      const auth = request.headers().authorization
      if (auth) secrets.add(auth.replace(/^\w+ /, ''))
    })
    context.on('response', async (response) => {
      if (!response.url().startsWith(`${issuer}/token`) || response.request().method() !== 'POST') return
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>
      for (const name of ['access_token', 'refresh_token', 'id_token']) if (typeof body[name] === 'string') secrets.add(body[name] as string)
    })

    await openApp('&logger=1&userinfo=refresh')
    await redirectSignIn()
    await page.reload()
    await expect.poll(() => text('status')).toBe('authenticated')
    await accessToken(true)
    await setLoginOptions({ prompt: 'login', maxAgeS: '0' })
    await popupSignIn('reauth-popup')
    await expect.poll(() => text('login-result')).toBe('ok')
    await accessToken(true)
    await page.waitForTimeout(500)

    const log = printed.filter((line) => line.startsWith('[tokenkeep]'))
    for (const event of ['login.begin', 'callback.received', 'signed.in', 'session.restored', 'refresh.scheduled', 'refresh.done', 'userinfo.merged']) {
      expect(log.some((line) => line.startsWith(`[tokenkeep] ${event}`)), `logged ${event}`).toBe(true)
    }
    expect(secrets.size).toBeGreaterThan(10)
    const all = printed.join('\n')
    for (const secret of secrets) expect(all.includes(secret), `a secret (${secret.slice(0, 6)}…) was printed`).toBe(false)
  })
})
