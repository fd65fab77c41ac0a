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
    store.dispatch({ type: 'clearError' })
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

  it('unsubscribe stops notifications', () => {
    const store = createStore()
    const listener = vi.fn()
    store.subscribe(listener)()
    store.dispatch({ type: 'signedOut' })
    expect(listener).not.toHaveBeenCalled()
  })
})
