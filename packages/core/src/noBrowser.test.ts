// @vitest-environment node
// Regression: start() threw "ReferenceError: document is not defined" in plain Node (a server
// render, a test runner), although it is documented as never throwing.
import { expect, it, vi } from 'vitest'
import { AuthError, createAuthClient, isAuthError } from './index'

function newClient() {
  const fetch = vi.fn<typeof globalThis.fetch>(() => Promise.reject(new Error('no request expected')))
  const auth = createAuthClient({ issuer: 'https://op.example.test', clientId: 'c', redirectUri: 'https://app.example.test/callback', fetch })
  return { auth, fetch }
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => 'resolved', (e: unknown) => e)
}

it('start() settles in a runtime without a DOM and the snapshot says there is no browser session', async () => {
  expect(typeof document).toBe('undefined')
  const { auth, fetch } = newClient()
  const seen: string[] = []
  auth.subscribe(() => seen.push(auth.getSnapshot().status))
  expect(auth.getSnapshot().status).toBe('loading')

  await expect(auth.start()).resolves.toBeUndefined()
  const snapshot = auth.getSnapshot()
  expect(snapshot).toMatchObject({ status: 'unauthenticated', user: null, expiresAt: null })
  expect(isAuthError(snapshot.error, 'ERR_NO_BROWSER')).toBe(true)
  expect(snapshot.error?.message).toMatch(/needs a browser page/)
  expect(seen).toEqual(['unauthenticated'])

  // stop() and a second start() (StrictMode-style) change nothing and touch no browser global.
  auth.stop()
  await expect(auth.start()).resolves.toBeUndefined()
  auth.stop()
  expect(auth.getSnapshot()).toBe(snapshot)
  expect(seen).toEqual(['unauthenticated'])
  expect(fetch).not.toHaveBeenCalled()
})

it('login(), logout() and getAccessToken() reject with ERR_NO_BROWSER, before or after start()', async () => {
  const { auth, fetch } = newClient()
  for (const call of [() => auth.login(), () => auth.login({ popup: true }), () => auth.logout(), () => auth.getAccessToken()]) {
    const error = await rejection(call())
    expect(error).toBeInstanceOf(AuthError)
    expect((error as AuthError).code).toBe('ERR_NO_BROWSER')
  }
  await auth.start()
  expect((await rejection(auth.getAccessToken())) as AuthError).toMatchObject({ code: 'ERR_NO_BROWSER' })
  expect(fetch).not.toHaveBeenCalled()
})
