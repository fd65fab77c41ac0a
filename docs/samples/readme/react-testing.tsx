import { expect } from 'vitest'
import { Profile } from '../support/pages'
// ---cut---
import { act, render, screen } from '@testing-library/react'
import { AuthProvider } from '@tokenkeep/react'
import { createTestAuthClient } from '@tokenkeep/react/testing'

const auth = createTestAuthClient({ status: 'authenticated', user: { sub: 'u1', name: 'Alice' } })
render(<AuthProvider client={auth}><Profile /></AuthProvider>)
expect(screen.getByText('Log out Alice')).toBeTruthy()

act(() => auth.endSession())    // or signIn(user), signOut(), loading(), set({ warning })
expect(screen.getByText('Log in')).toBeTruthy()
expect(auth.calls.login).toEqual([]) // login() and logout() are recorded, never sent
