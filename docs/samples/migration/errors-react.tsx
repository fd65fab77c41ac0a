import { Spinner } from '../support/pages'
// ---cut---
import { useAuth } from '@tokenkeep/react'

export function App() {
  // auth0-react: const { isLoading, error, user, getIdTokenClaims } = useAuth0()
  const { isLoading, error, warning, user, client } = useAuth()
  if (isLoading) return <Spinner />
  // Kept as it was: `error` is a failed sign-in or a session that ended, never a renewal
  // that is being retried while the session lasts.
  if (error) return <div>Oops… {error.message}</div>
  return (
    <main>
      {/* New, optional: the client is retrying in the background; nothing was lost. */}
      {warning && <small role="status">Reconnecting…</small>}
      {/* user: the profile (no iss, aud, exp, nonce, ...), as auth0-react's user. */}
      <p>Hello {String(user?.name ?? user?.sub)}</p>
      {/* getIdTokenClaims(): every claim of the ID token. */}
      <button onClick={() => console.log(client.getIdTokenClaims()?.auth_time)}>Signed in at</button>
    </main>
  )
}
