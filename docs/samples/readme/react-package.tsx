import { createRoot } from 'react-dom/client'
import { Orders } from '../support/pages'
declare const root: HTMLElement
// ---cut---
import { createAuthClient } from '@tokenkeep/core'
import { AuthProvider, RequireAuth, useAuth } from '@tokenkeep/react'

const auth = createAuthClient({ issuer: 'https://id.example.com', clientId: 'my-spa', redirectUri: `${location.origin}/callback` })

function Profile() {
  const { status, user, login, logout } = useAuth()
  if (status === 'loading') return <p>Loading…</p>
  return user ? <button onClick={() => logout()}>Log out {String(user.name)}</button> : <button onClick={() => login()}>Log in</button>
}

createRoot(root).render(<AuthProvider client={auth}><Profile /><RequireAuth fallback="…"><Orders /></RequireAuth></AuthProvider>)
