import { act, fireEvent, render, screen } from '@testing-library/react'
import { AuthProvider, useAuth } from '@tokenkeep/react'
import { createTestAuthClient } from '@tokenkeep/react/testing'
import { expect, test } from 'vitest'

// The component under test: usually imported from the app.
function Account() {
  const { isLoading, user, error, login, logout } = useAuth()
  if (isLoading) return <p>Loading…</p>
  if (error?.code === 'ERR_SESSION_EXPIRED') return <button onClick={() => login()}>Sign in again</button>
  if (!user) return <button onClick={() => login()}>Log in</button>
  return <button onClick={() => logout()}>Log out {String(user.name)}</button>
}

test('loading, signed in, session ended, signed out', () => {
  const auth = createTestAuthClient() // starts as 'loading'
  render(<AuthProvider client={auth}><Account /></AuthProvider>)
  expect(screen.getByText('Loading…')).toBeTruthy()

  act(() => auth.signIn({ sub: 'u1', name: 'Alice' }))
  expect(screen.getByRole('button').textContent).toBe('Log out Alice')

  act(() => auth.endSession()) // ERR_SESSION_EXPIRED, as when the provider ends it
  fireEvent.click(screen.getByRole('button'))
  expect(auth.calls.login).toEqual([{}]) // recorded; nothing leaves the test

  act(() => auth.signOut())
  expect(screen.getByRole('button').textContent).toBe('Log in')
})
