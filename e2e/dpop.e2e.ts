// DPoP (RFC 9449, `protocol: { dpop: dpopProofs() }`) against the real oidc-provider with features.dPoP,
// nonces required and not, and a resource server that accepts only DPoP-bound tokens. A person
// signs in by redirect and by popup, calls userinfo and the API, keeps five tabs signed in through
// several expiries, and a thief who copies the tokens into another browser gets nowhere.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { confirmProviderLogout, launchBrowser, loginAtProvider, newContext, testId } from './support/browser'
import { startApiApp, type ApiApp } from './support/apiApp'
import type { DPoPResourceServer, TokenStore } from './support/dpopResourceServer'
import { providerStats, resetProvider, setAccessTokenTtl, setDPoPNonceRequired } from './support/provider'

let op: { issuer: string; provider: TokenStore; close(): Promise<void> }
let rs: DPoPResourceServer
let appUrl: string
let app: ApiApp
let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  // A provider of this file's own (the resource server reads its token store), and the demo built
  // against it, on free loopback ports.
  app = await startApiApp()
  ;({ op, rs, appUrl } = app)
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await app?.close()
})
beforeEach(async () => {
  context = await newContext(browser)
  page = await context.newPage()
  await resetProvider(op.issuer)
  rs.reset()
  rs.requireNonce(false)
})
afterEach(async () => {
  await context?.close()
})

const status = (p: Page = page) => testId(p, 'status').textContent()
const errorCode = (p: Page = page) => testId(p, 'error-code').textContent()

/** Opens the demo with DPoP on, the given store, and the resource server as its API. */
async function openApp(p: Page, storage: string): Promise<void> {
  await p.goto(`${appUrl}/?storage=${storage}&dpop=1&api=${encodeURIComponent(rs.url)}`)
  await expect.poll(() => status(p)).not.toBe('loading')
}

async function signIn(storage: string, p: Page = page): Promise<void> {
  await openApp(p, storage)
  await testId(p, 'login').click()
  await p.waitForURL((url) => url.href.startsWith(op.issuer))
  await loginAtProvider(p, { appUrl })
  await expect.poll(() => status(p), { timeout: 15_000 }).toBe('authenticated')
}

/** The stored session record, wherever the demo keeps it. */
function storedSession(p: Page, storage: 'session' | 'indexeddb'): Promise<{ accessToken: string; refreshToken?: string; tokenType: string; dpopKey?: string }> {
  return p.evaluate(async (where) => {
    if (where === 'session') {
      const key = Object.keys(sessionStorage).find((k) => k.endsWith(':session'))!
      return JSON.parse(sessionStorage.getItem(key)!)
    }
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('tokenkeep')
      open.onsuccess = () => resolve(open.result)
      open.onerror = () => reject(open.error)
    })
    const store = db.transaction('kv', 'readonly').objectStore('kv')
    const keys = await new Promise<IDBValidKey[]>((resolve) => {
      const r = store.getAllKeys()
      r.onsuccess = () => resolve(r.result)
    })
    const key = keys.find((k) => String(k).endsWith(':session'))!
    const value = await new Promise((resolve) => {
      const r = store.get(key)
      r.onsuccess = () => resolve(r.result)
    })
    db.close()
    return value as never
  }, storage)
}

/** Key ids in the DPoP side store (IndexedDB `tokenkeep-dpop`). */
function sideStoreKeys(p: Page): Promise<string[]> {
  return p.evaluate(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'tokenkeep-dpop')) return []
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('tokenkeep-dpop')
      open.onsuccess = () => resolve(open.result)
      open.onerror = () => reject(open.error)
    })
    if (!db.objectStoreNames.contains('keys')) return []
    const keys = await new Promise<IDBValidKey[]>((resolve) => {
      const r = db.transaction('keys', 'readonly').objectStore('keys').getAllKeys()
      r.onsuccess = () => resolve(r.result)
    })
    db.close()
    return keys.map(String)
  })
}

describe('sign-in with DPoP', () => {
  for (const nonces of [false, true]) {
    it(`redirect (nonces ${nonces ? 'required' : 'not required'}): DPoP-bound tokens, userinfo and the API accept them`, async () => {
      await setDPoPNonceRequired(op.issuer, nonces)
      rs.requireNonce(nonces)
      const authorizations: URL[] = []
      context.on('request', (r) => {
        const url = new URL(r.url())
        if (url.pathname === '/auth' && r.isNavigationRequest()) authorizations.push(url)
      })
      await signIn('session')
      expect(await testId(page, 'user-name').textContent()).toBe('Alice')
      const stats = await providerStats(op.issuer)
      expect(stats.tokenTypes).toEqual(['dpop'])
      expect(stats.dpopProofs).toContain('POST /token')
      expect(authorizations[0]!.searchParams.get('dpop_jkt')).toMatch(/^[\w-]{43}$/)
      // One round trip for the provider's nonce per sign-in when it requires one, none otherwise.
      expect(stats.dpopNonceChallenges).toEqual(nonces ? ['POST /token'] : [])
      const session = await storedSession(page, 'session')
      expect(session.tokenType.toLowerCase()).toBe('dpop')
      // A JSON store: the key pair is in the IndexedDB side store, never in sessionStorage.
      expect(await sideStoreKeys(page)).toEqual([expect.stringContaining(session.dpopKey!)])
      expect(await page.evaluate(() => JSON.stringify(Object.entries(sessionStorage)))).not.toMatch(/"d"|privateKey/)

      await testId(page, 'call-api').click()
      await expect.poll(() => testId(page, 'api-result').textContent()).toBe('sub=alice')
      await testId(page, 'call-rs').click()
      await expect.poll(() => testId(page, 'rs-result').textContent()).toBe('sub=alice')
      await testId(page, 'call-rs').click()
      await expect.poll(() => rs.stats().ok).toBe(2)
      // The resource server's own nonce: one round trip for the first call, none after.
      expect(rs.stats().nonceChallenges).toBe(nonces ? 1 : 0)
      expect(rs.stats().refusals.filter((r) => !r.startsWith('use_dpop_nonce'))).toEqual([])
      expect((await providerStats(op.issuer)).dpopProofs).toContain('GET /me')
    })
  }

  it('popup: the code exchange proves the key too', async () => {
    await setDPoPNonceRequired(op.issuer, true)
    await openApp(page, 'indexeddb')
    const opened = context.waitForEvent('page')
    await testId(page, 'login-popup').click()
    const popup = await opened
    await popup.waitForURL((url) => url.href.startsWith(op.issuer))
    const closed = popup.waitForEvent('close', { timeout: 15_000 })
    await popup.locator('input[name="login"]').fill('alice')
    await popup.locator('input[name="password"]').fill('secret')
    await popup.locator('button[type="submit"]').click()
    await closed
    await expect.poll(() => status()).toBe('authenticated')
    const stats = await providerStats(op.issuer)
    expect(stats.tokenTypes).toEqual(['dpop'])
    expect(stats.dpopNonceChallenges).toEqual(['POST /token'])
    await testId(page, 'call-rs').click()
    await expect.poll(() => testId(page, 'rs-result').textContent()).toBe('sub=alice')
    // A structured-clone store holds the key itself: nothing in the side store.
    expect(await sideStoreKeys(page)).toEqual([])
  })

  it('logout deletes the key; a session whose key is gone ends once with ERR_DPOP_KEY', async () => {
    await signIn('session')
    expect(await sideStoreKeys(page)).toHaveLength(1)
    // The key disappears (site data cleared, a private window closed): the next page load says so.
    await page.evaluate(() => new Promise((resolve) => { const r = indexedDB.deleteDatabase('tokenkeep-dpop'); r.onsuccess = r.onerror = r.onblocked = resolve }))
    await page.reload()
    await expect.poll(() => errorCode()).toBe('ERR_DPOP_KEY')
    expect(await status()).toBe('unauthenticated')
    const grantsBefore = (await providerStats(op.issuer)).grants.refresh_token ?? 0
    await page.reload()
    await expect.poll(() => status()).toBe('unauthenticated')
    expect(await errorCode()).toBe('')
    expect((await providerStats(op.issuer)).grants.refresh_token ?? 0).toBe(grantsBefore)

    await testId(page, 'login').click()
    await expect.poll(() => status(), { timeout: 15_000 }).toBe('authenticated')
    expect(await sideStoreKeys(page)).toHaveLength(1)
    await testId(page, 'logout').click()
    await confirmProviderLogout(page, op.issuer, appUrl)
    await expect.poll(() => status()).toBe('unauthenticated')
    expect(await sideStoreKeys(page)).toEqual([])
  })
})

describe('refresh with DPoP', () => {
  afterEach(async () => {
    await setAccessTokenTtl(op.issuer, 3600)
  })

  for (const tabs of [1, 5]) {
    it(`${tabs} tab${tabs > 1 ? 's' : ''}, nonces required: one refresh grant per expiry, each with a proof, no nonce round trip after sign-in`, async () => {
      await setDPoPNonceRequired(op.issuer, true)
      rs.requireNonce(true)
      await setAccessTokenTtl(op.issuer, 6)
      await signIn('indexeddb')
      const pages = [page]
      for (let i = 1; i < tabs; i++) {
        const p = await context.newPage()
        await openApp(p, 'indexeddb')
        await expect.poll(() => status(p)).toBe('authenticated')
        pages.push(p)
      }
      const opened = await providerStats(op.issuer)
      const afterSignIn = opened.dpopNonceChallenges.length
      const grantsBefore = opened.grants.refresh_token ?? 0
      const started = Date.now()
      // Four more expiries with every tab open.
      await expect.poll(async () => (await providerStats(op.issuer)).grants.refresh_token ?? 0, { timeout: 30_000, interval: 200 }).toBeGreaterThanOrEqual(grantsBefore + 4)
      const elapsedS = (Date.now() - started) / 1000
      const stats = await providerStats(op.issuer)
      expect(stats.refreshTokenReuse).toBe(0)
      expect(stats.grantErrors.filter((e) => e.error !== 'use_dpop_nonce')).toEqual([])
      expect(stats.grants.refresh_token).toBeLessThanOrEqual(Math.ceil(elapsedS / 2.25) + 1)
      expect(stats.tokenTypes.every((t) => t === 'dpop')).toBe(true)
      expect(stats.dpopProofs.filter((r) => r === 'POST /token')).toHaveLength(stats.grants.refresh_token! + 1 + afterSignIn)
      const refreshNonceTrips = stats.dpopNonceChallenges.length - afterSignIn
      // Grants less than a second apart answer one expiry (the tabs reacting to it together).
      const times = stats.refreshTimes.filter((t) => t >= started)
      const expiries = times.filter((t, i) => i === 0 || t - times[i - 1]! > 1_000).length
      console.log(
        `[dpop] ${tabs} tab(s): ${times.length} refresh grants for ${expiries} expiries in ${elapsedS.toFixed(1)} s ` +
          `(${(times.length / expiries).toFixed(2)} per expiry); nonce round trips: sign-in ${afterSignIn}, ${stats.grants.refresh_token} refreshes ${refreshNonceTrips}`,
      )
      expect(times.length).toBe(expiries)
      expect(refreshNonceTrips).toBe(0)
      // Every tab still calls the API with the renewed token and the shared key.
      for (const p of pages) {
        await testId(p, 'call-rs').click()
        await expect.poll(() => testId(p, 'rs-result').textContent()).toBe('sub=alice')
      }
      // The first API call learns the resource server's nonce; tabs that call later use it.
      expect(rs.stats().nonceChallenges).toBeLessThanOrEqual(1)
    })
  }
})

describe('duplicated tab with sessionStorage and DPoP', () => {
  afterEach(async () => {
    await setAccessTokenTtl(op.issuer, 3600)
  })

  it('the copy uses the original key until its token dies, and never deletes it', async () => {
    await setAccessTokenTtl(op.issuer, 6)
    await signIn('session')
    // window.open without noopener copies sessionStorage, like the browser's "Duplicate tab".
    const [copy] = await Promise.all([context.waitForEvent('page'), page.evaluate(() => void window.open(location.href))])
    await copy.waitForLoadState()
    await expect.poll(() => status(copy)).toBe('authenticated')
    const keys = await sideStoreKeys(page)
    expect(keys).toHaveLength(1)
    // The copy dropped the refresh token: its session ends when its access token does.
    await expect.poll(() => status(copy), { timeout: 15_000 }).toBe('unauthenticated')
    expect(await sideStoreKeys(page)).toEqual(keys)
    // The original renews with the key and still calls the API.
    await expect.poll(async () => (await providerStats(op.issuer)).grants.refresh_token ?? 0, { timeout: 15_000 }).toBeGreaterThanOrEqual(2)
    await testId(page, 'call-rs').click()
    await expect.poll(() => testId(page, 'rs-result').textContent()).toBe('sub=alice')
    const stats = await providerStats(op.issuer)
    expect(stats.refreshTokenReuse).toBe(0)
    expect(stats.grantErrors.filter((e) => e.error !== 'use_dpop_nonce')).toEqual([])
    expect(await status()).toBe('authenticated')
  })
})

describe('copied tokens are useless elsewhere', () => {
  it('a refresh token and an access token taken from storage are refused in another browser, with or without a proof of its own key', async () => {
    await signIn('session')
    const stolen = await storedSession(page, 'session')
    expect(stolen.refreshToken).toBeTruthy()

    const thief = await newContext(browser)
    try {
      const other = await thief.newPage()
      // Same origin as the app, so CORS lets the requests through: only DPoP stops them.
      await other.goto(`${appUrl}/logged-out`)
      const results = await other.evaluate(
        async ({ issuer, api, refreshToken, accessToken, clientId }) => {
          const b64u = (bytes: ArrayBuffer | Uint8Array) =>
            btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
          const text = (s: string) => b64u(new TextEncoder().encode(s))
          // The thief's own key: a valid proof, just not by the key the tokens are bound to.
          const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
          const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', keys.publicKey)
          const proof = async (htm: string, htu: string, ath?: string) => {
            const header = text(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } }))
            const payload = text(JSON.stringify({ htm, htu, iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(), ...(ath ? { ath } : {}) }))
            const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, new TextEncoder().encode(`${header}.${payload}`))
            return `${header}.${payload}.${b64u(sig)}`
          }
          const ath = b64u(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken)))
          const refresh = async (withProof: boolean) => {
            let r = await fetch(`${issuer}/token`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded', ...(withProof ? { dpop: await proof('POST', `${issuer}/token`) } : {}) },
              body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId }),
            })
            const nonce = r.headers.get('dpop-nonce')
            if (withProof && r.status === 400 && nonce && (await r.clone().json()).error === 'use_dpop_nonce') {
              throw new Error('unexpected nonce requirement')
            }
            return `${r.status} ${(await r.json()).error}`
          }
          const call = async (url: string, scheme: 'Bearer' | 'DPoP') => {
            const headers: Record<string, string> = { authorization: `${scheme} ${accessToken}` }
            if (scheme === 'DPoP') headers.dpop = await proof('GET', url, ath)
            const r = await fetch(url, { headers })
            return `${r.status} ${r.headers.get('www-authenticate') ?? ''}`
          }
          return {
            refreshWithoutProof: await refresh(false),
            refreshWithOwnKey: await refresh(true),
            apiAsBearer: await call(`${api}/api/me`, 'Bearer'),
            apiWithOwnKey: await call(`${api}/api/me`, 'DPoP'),
            userinfoAsBearer: await call(`${issuer}/me`, 'Bearer'),
            userinfoWithOwnKey: await call(`${issuer}/me`, 'DPoP'),
          }
        },
        { issuer: op.issuer, api: rs.url, refreshToken: stolen.refreshToken!, accessToken: stolen.accessToken, clientId: 'tokenkeep-demo' },
      )
      console.log('[dpop] copied tokens:', JSON.stringify(results))
      expect(results.refreshWithoutProof).toMatch(/^400 invalid_(grant|dpop_proof)/)
      expect(results.refreshWithOwnKey).toMatch(/^400 invalid_(grant|dpop_proof)/)
      expect(results.apiAsBearer).toMatch(/^401 DPoP error="invalid_token"/)
      expect(results.apiWithOwnKey).toMatch(/^401 DPoP error="invalid_token"/)
      expect(rs.stats().refusals).toEqual([
        'invalid_token: scheme Bearer: only DPoP-bound tokens are accepted',
        'invalid_token: cnf.jkt does not match the proof key',
      ])
      expect(results.userinfoAsBearer).toMatch(/^401 /)
      expect(results.userinfoWithOwnKey).toMatch(/^401 /)
    } finally {
      await thief.close()
    }
    // The person's own session is untouched: the API still answers, and a refresh still works.
    await testId(page, 'call-rs').click()
    await expect.poll(() => testId(page, 'rs-result').textContent()).toBe('sub=alice')
    const refreshed = await page.evaluate(async () => {
      const tk = (window as unknown as { __tk: { getAccessToken(o?: { forceRefresh?: boolean }): Promise<string> } }).__tk
      return (await tk.getAccessToken({ forceRefresh: true })).length > 0
    })
    expect(refreshed).toBe(true)
    expect(await status()).toBe('authenticated')
  })
})
