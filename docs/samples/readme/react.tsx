import { createRoot } from 'react-dom/client'
import { auth } from '../support/auth'
import { Orders } from '../support/pages'
declare const root: HTMLElement
// ---cut---
import { AuthProvider, RequireAuth, useAuth } from '@tokenkeep/react'

function Profile() {
  const { status, user, login, logout } = useAuth()        // useSyncExternalStore over the snapshot
  if (status === 'loading') return <p>Loading…</p>
  return user ? <button onClick={() => logout()}>Log out {String(user.name)}</button>
              : <button onClick={() => login()}>Log in</button>
}
createRoot(root).render(
  <AuthProvider client={auth}><Profile /><RequireAuth fallback="…"><Orders /></RequireAuth></AuthProvider>,
)
