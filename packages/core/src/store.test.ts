import { describe, expect, it, vi } from 'vitest'
import { AuthError } from './errors'
import type { Session } from './session/session'
import { createStore } from './store'

const session: Session = { v: 1, accessToken: 'a', tokenType: 'bearer', expiresAt: 10, claims: { sub: 's' }, seq: 1 }

describe('createStore', () => {
  it('returns the same frozen snapshot until something changes, and notifies once per change', () => {
    const store = createStore()
    const listener = vi.fn()
    store.subscribe(listener)
    const first = store.getSnapshot()
    expect(store.getSnapshot()).toBe(first)
    store.dispatch({ type: 'session', session })
    const second = store.getSnapshot()
    expect(second).not.toBe(first)
    expect(Object.isFrozen(second)).toBe(true)
    expect(second).toMatchObject({ status: 'authenticated', user: { sub: 's' }, expiresAt: 10 })
    store.dispatch({ type: 'logoutEnded' })
    store.dispatch({ type: 'session', session })
    expect(store.getSnapshot()).toBe(second)
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('an error keeps a session, and turns loading into error', () => {
    const store = createStore()
    const err = new AuthError('ERR_NETWORK', 'x')
    store.dispatch({ type: 'error', error: err })
    expect(store.getSnapshot()).toMatchObject({ status: 'error', error: err })
    store.dispatch({ type: 'session', session })
    store.dispatch({ type: 'error', error: err })
    expect(store.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 's' }, error: err })
  })

  it('the provider ending the session keeps whose it was (ended) until the next sign-in; a logout or another error does not set it', () => {
    const store = createStore()
    store.dispatch({ type: 'session', session })
    store.dispatch({ type: 'signedOut', error: new AuthError('ERR_SESSION_EXPIRED', 'x') })
    const ended = store.getSnapshot()
    expect(ended).toMatchObject({ status: 'unauthenticated', user: null, error: { code: 'ERR_SESSION_EXPIRED' }, ended: { user: { sub: 's' } } })
    expect(ended.ended!.at).toBeGreaterThan(0)
    // Told again (the other tabs' message): the same user, the same moment.
    store.dispatch({ type: 'signedOut', error: new AuthError('ERR_SESSION_EXPIRED', 'x') })
    expect(store.getSnapshot().ended).toBe(ended.ended)
    store.dispatch({ type: 'session', session })
    expect(store.getSnapshot().ended).toBeUndefined()
    store.dispatch({ type: 'signedOut' })
    expect(store.getSnapshot().ended).toBeNull()
    store.dispatch({ type: 'session', session })
    store.dispatch({ type: 'signedOut', error: new AuthError('ERR_LOGIN_REQUIRED', 'x') })
    expect(store.getSnapshot().ended).toBeNull()
  })

  it('unsubscribe stops notifications', () => {
    const store = createStore()
    const listener = vi.fn()
    store.subscribe(listener)()
    store.dispatch({ type: 'signedOut' })
    expect(listener).not.toHaveBeenCalled()
  })
})

describe('the logout state', () => {
  it('signingOut drops the user at once, outlives the sign-out and any session that lands meanwhile, until the logout ends', () => {
    const store = createStore()
    store.dispatch({ type: 'session', session })
    store.dispatch({ type: 'signingOut' })
    expect(store.getSnapshot()).toMatchObject({ status: 'signingOut', user: null, expiresAt: null, error: null })
    // A refresh that finished after logout() was called, then the logout's own sign-out.
    store.dispatch({ type: 'session', session: { ...session, seq: 2 } })
    store.dispatch({ type: 'signedOut' })
    expect(store.getSnapshot()).toMatchObject({ status: 'signingOut', user: null })
    const err = new AuthError('ERR_DISCOVERY', 'x')
    store.dispatch({ type: 'error', error: err })
    expect(store.getSnapshot()).toMatchObject({ status: 'signingOut', error: err })
    store.dispatch({ type: 'logoutEnded' })
    expect(store.getSnapshot()).toMatchObject({ status: 'unauthenticated', user: null, error: err })
    store.dispatch({ type: 'session', session })
    expect(store.getSnapshot().status).toBe('authenticated')
  })

  it('logoutEnded outside a logout changes nothing', () => {
    const store = createStore()
    store.dispatch({ type: 'session', session })
    const before = store.getSnapshot()
    store.dispatch({ type: 'logoutEnded' })
    expect(store.getSnapshot()).toBe(before)
  })
})

describe('warning', () => {
  it('sits beside a session without touching status or error; a session with a warning given replaces it; signing out keeps it unless given', () => {
    const store = createStore()
    const blip = new AuthError('ERR_NETWORK', 'x')
    store.dispatch({ type: 'session', session })
    store.dispatch({ type: 'warning', error: blip })
    expect(store.getSnapshot()).toMatchObject({ status: 'authenticated', error: null, warning: blip })
    store.dispatch({ type: 'session', session: { ...session, seq: 2 } })
    expect(store.getSnapshot().warning).toBe(blip)
    store.dispatch({ type: 'session', session: { ...session, seq: 3 }, warning: null })
    expect(store.getSnapshot().warning).toBeNull()
    store.dispatch({ type: 'warning', error: blip })
    store.dispatch({ type: 'signingOut' })
    expect(store.getSnapshot()).toMatchObject({ status: 'signingOut', warning: null })
  })
})

describe('user', () => {
  it('is made from the claims once per claims object, so an unchanged session keeps the same snapshot', () => {
    const userOf = vi.fn((claims: Readonly<Record<string, unknown>>) => ({ sub: claims.sub }))
    const store = createStore(userOf)
    store.dispatch({ type: 'session', session: { ...session, claims: { sub: 's', iss: 'i' } } })
    const first = store.getSnapshot()
    expect(first.user).toEqual({ sub: 's' })
    store.dispatch({ type: 'session', session: { ...session, claims: first.user! } })
    store.dispatch({ type: 'session', session: { ...session, claims: first.user! } })
    expect(userOf).toHaveBeenCalledTimes(2)
  })
})
