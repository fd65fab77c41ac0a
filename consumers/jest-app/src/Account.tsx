import { useAuth } from '@tokenkeep/react'

/** The account corner of an app: the four states it goes through. */
export function Account() {
  const { isLoading, user, error, warning, login, logout } = useAuth()
  if (isLoading) return <p>Loading…</p>
  if (error?.code === 'ERR_SESSION_EXPIRED') return <button onClick={() => void login()}>Your session ended: sign in again</button>
  if (!user) return <button onClick={() => void login()}>Log in</button>
  return (
    <>
      {warning && <small>Reconnecting…</small>}
      <button onClick={() => void logout()}>Log out {String(user.name)}</button>
    </>
  )
}
