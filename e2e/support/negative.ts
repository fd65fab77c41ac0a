// What every negative test checks, in one place: the typed error on screen, stored state as it
// was, no `code`/`state` left in the address bar, and a normal login working right afterwards.
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { loginAtProvider, testId } from './browser'
import type { TamperStack } from './tamperStack'

/** Authorization-response parameters that must never stay in the address bar after a callback. */
export const RESPONSE_PARAMS = ['code', 'state', 'iss', 'error', 'error_description', 'session_state']

/** Every entry the app keeps in sessionStorage (`session/<key>`) and its IndexedDB database (`idb/<key>`). */
function storedEntries(page: Page): Promise<[string, unknown][]> {
  return page.evaluate(async () => {
    const entries: [string, unknown][] = Object.entries(sessionStorage).map(([k, v]) => [`session/${k}`, v])
    if ((await indexedDB.databases()).some((d) => d.name === 'tokenkeep')) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('tokenkeep')
        open.onsuccess = () => resolve(open.result)
        open.onerror = () => reject(open.error)
      })
      if (db.objectStoreNames.contains('kv')) {
        const read = <T>(r: IDBRequest<T>) =>
          new Promise<T>((resolve, reject) => {
            r.onsuccess = () => resolve(r.result)
            r.onerror = () => reject(r.error)
          })
        const store = db.transaction('kv', 'readonly').objectStore('kv')
        for (const key of await read(store.getAllKeys())) entries.push([`idb/${String(key)}`, await read(store.get(key))])
      }
      db.close()
    }
    return entries
  })
}

const isPendingLogin = (key: string) => key.includes(':tx:')

/**
 * Everything the app keeps in sessionStorage and in its IndexedDB database (`tokenkeep`), as one
 * sorted JSON string. Left out: the cached provider metadata and the index of pending logins,
 * which any login attempt writes by design, and pending transactions themselves (compared apart
 * with {@link pendingLogins}).
 */
export async function storageDump(page: Page): Promise<string> {
  const bookkeeping = (key: string) => key.endsWith(':metadata') || key.endsWith(':tx-index') || isPendingLogin(key)
  const entries = (await storedEntries(page)).filter(([k]) => !bookkeeping(k))
  return JSON.stringify(entries.sort(([a], [b]) => a.localeCompare(b)))
}

/** States of the logins still pending in sessionStorage and IndexedDB. */
export async function pendingLogins(page: Page): Promise<number> {
  return (await storedEntries(page)).filter(([k]) => isPendingLogin(k)).length
}

export const status = (page: Page) => testId(page, 'status').textContent()

/** Opens the demo with the given store and waits until it has settled. */
export async function openApp(page: Page, stack: TamperStack, storage = 'session'): Promise<void> {
  await page.goto(`${stack.appUrl}/?storage=${storage}`)
  await expect.poll(() => status(page), { timeout: 30_000 }).not.toBe('loading')
}

/**
 * Follows a login that has just left for the provider: fills the provider's form when it shows
 * one (no provider session yet), or lets the provider send the browser straight back, and waits
 * until the app has handled the callback.
 */
export async function throughProvider(page: Page, stack: TamperStack): Promise<void> {
  const where = await Promise.race([
    page.waitForURL((u) => u.href.startsWith(`${stack.issuer}/interaction/`), { timeout: 30_000 }).then(
      () => 'form' as const,
      () => 'none' as const,
    ),
    page.waitForURL((u) => u.href.startsWith(`${stack.appUrl}/callback`), { timeout: 30_000, waitUntil: 'commit' }).then(
      () => 'app' as const,
      () => 'none' as const,
    ),
  ])
  if (where === 'form') await loginAtProvider(page, { appUrl: stack.appUrl })
  await page.waitForURL((u) => u.href.startsWith(stack.appUrl), { timeout: 30_000 })
  await expect.poll(() => status(page), { timeout: 30_000 }).not.toBe('loading')
}

/** Clicks "Log in" and goes through the provider and back. */
export async function clickLogin(page: Page, stack: TamperStack): Promise<void> {
  await testId(page, 'login').click()
  await throughProvider(page, stack)
}

/** Signs in normally (the provider untampered); the app shows Alice. */
export async function signIn(page: Page, stack: TamperStack, storage = 'session'): Promise<void> {
  await openApp(page, stack, storage)
  await clickLogin(page, stack)
  await expect.poll(() => status(page), { timeout: 30_000 }).toBe('authenticated')
  expect(await testId(page, 'user-name').textContent()).toBe('Alice')
}

export interface Refusal {
  /** Our AuthError code, shown as data-testid="error-code". */
  code: string
  /** The provider's OAuth error, expected in the message shown. */
  oauthError?: string
  /** The status the app must show afterwards. Default 'unauthenticated'. */
  status?: string
}

/** Asserts what a person sees after a refused callback, and that the address bar is clean. */
export async function expectRefused(page: Page, refusal: Refusal): Promise<void> {
  await expect.poll(() => testId(page, 'error-code').textContent(), { timeout: 30_000 }).toBe(refusal.code)
  expect(await testId(page, 'error').isVisible()).toBe(true)
  expect(await status(page)).toBe(refusal.status ?? 'unauthenticated')
  if (refusal.oauthError) expect(await testId(page, 'error-message').textContent()).toContain(refusal.oauthError)
  const url = new URL(page.url())
  for (const p of RESPONSE_PARAMS) expect(url.searchParams.has(p), `"${p}" left in ${url.href}`).toBe(false)
}

/** After a refusal, with the proxy untampered again, a normal login works. */
export async function expectUsable(page: Page, stack: TamperStack): Promise<void> {
  stack.proxy.clear()
  await clickLogin(page, stack)
  await expect.poll(() => status(page), { timeout: 30_000 }).toBe('authenticated')
  expect(await testId(page, 'user-name').textContent()).toBe('Alice')
  expect(await testId(page, 'error-code').textContent()).toBe('')
}
