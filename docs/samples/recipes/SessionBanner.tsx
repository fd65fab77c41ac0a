import { useAuth } from '@tokenkeep/react'

export function SessionBanner() {
  const { status, error, login } = useAuth()
  if (status !== 'unauthenticated' || error?.code !== 'ERR_SESSION_EXPIRED') return null
  return (
    <div role="alert">
      Your session has ended. <button onClick={() => login()}>Sign in again</button>
    </div>
  )
}
