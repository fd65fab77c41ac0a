import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import type { ReactNode } from 'react'
import { AuthError, isAuthError } from '@tokenkeep/core'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthProvider, RequireAuth, useAuth } from './index'
import { createTestAuthClient } from './testing'

/** A component as apps write it: the four states a signed-in app goes through. */
function Account(): ReactNode {
  const { status, user, error, warning, login, logout } = useAuth()
  if (status === 'loading') return <p>Loading…</p>
  if (error?.code === 'ERR_SESSION_EXPIRED') return <button onClick={() => void login()}>Your session ended: sign in again</button>
  if (!user) return <button onClick={() => void login()}>Log in</button>
  return (
    <>
      {warning && <small>Reconnecting…</small>}
      <button onClick={() => void logout()}>Log out {String(user.name)}</button>
    </>
  )
}

afterEach(cleanup)

describe('createTestAuthClient (React)', () => {
  it('drives a component through loading, signed in, signed out and session ended, with no network', async () => {
    const auth = createTestAuthClient()
    render(<AuthProvider client={auth}><Account /></AuthProvider>)
    expect(screen.getByText('Loading…')).toBeTruthy()

    act(() => auth.signIn({ sub: 'u1', name: 'Alice' }))
    expect(screen.getByRole('button').textContent).toBe('Log out Alice')
    expect(await auth.getAccessToken()).toBe('test-access-token')

    act(() => auth.set({ warning: new AuthError('ERR_NETWORK', 'no answer') }))
    expect(screen.getByText('Reconnecting…')).toBeTruthy()

    act(() => auth.endSession())
    expect(screen.getByRole('button').textContent).toBe('Your session ended: sign in again')
    // The app's own checks see a real AuthError.
    expect(isAuthError(auth.getSnapshot().error, 'ERR_SESSION_EXPIRED')).toBe(true)
    expect(auth.getSnapshot().error).toBeInstanceOf(AuthError)
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'ERR_LOGIN_REQUIRED' })

    fireEvent.click(screen.getByRole('button'))
    expect(auth.calls.login).toEqual([{}])

    act(() => auth.signOut())
    expect(screen.getByRole('button').textContent).toBe('Log in')
  })

  it('starts in the state given, records logout, and shows signingOut then signed out', async () => {
    const auth = createTestAuthClient({ status: 'authenticated', user: { sub: 'u2', name: 'Bob' } })
    render(<AuthProvider client={auth}><Account /></AuthProvider>)
    expect(screen.getByRole('button').textContent).toBe('Log out Bob')
    await act(async () => fireEvent.click(screen.getByRole('button')))
    expect(auth.calls.logout).toEqual([{}])
    expect(screen.getByRole('button').textContent).toBe('Log in')
  })

  it('works with RequireAuth: a signed-out visitor starts one login, recorded, and no request leaves', () => {
    const auth = createTestAuthClient({ status: 'unauthenticated' })
    render(<AuthProvider client={auth}><RequireAuth fallback={<p>Signing in…</p>}><p>Orders</p></RequireAuth></AuthProvider>)
    expect(screen.getByText('Signing in…')).toBeTruthy()
    expect(auth.calls.login).toHaveLength(1)
    act(() => auth.signIn())
    expect(screen.getByText('Orders')).toBeTruthy()
  })
})
