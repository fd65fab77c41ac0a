import { act, fireEvent, render, screen } from '@testing-library/react'
import { AuthProvider } from '@tokenkeep/react'
import { createTestAuthClient } from '@tokenkeep/react/testing'
import { Account } from './Account'

test('React: loading, signed in, session ended, signed out; login and logout recorded, nothing sent', async () => {
  const auth = createTestAuthClient()
  render(<AuthProvider client={auth}><Account /></AuthProvider>)
  expect(screen.getByText('Loading…')).toBeTruthy()

  act(() => auth.signIn({ sub: 'u1', name: 'Alice' }))
  expect(screen.getByRole('button').textContent).toBe('Log out Alice')
  await expect(auth.getAccessToken()).resolves.toBe('test-access-token')

  act(() => auth.endSession())
  expect(screen.getByRole('button').textContent).toBe('Your session ended: sign in again')
  fireEvent.click(screen.getByRole('button'))
  expect(auth.calls.login).toEqual([{}])

  act(() => auth.signOut())
  expect(screen.getByRole('button').textContent).toBe('Log in')
})
