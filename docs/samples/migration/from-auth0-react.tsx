import { Spinner } from '../support/pages'
// ---cut---
import { AuthProvider, RequireAuth, useAuth } from '@tokenkeep/react'
import { createRoot } from 'react-dom/client'
import { auth } from './auth'

function Orders() {
  // const { getAccessTokenSilently } = useAuth0()
  const { getAccessToken } = useAuth()
  const load = async () => {
    const response = await fetch('/api/orders', { headers: { Authorization: `Bearer ${await getAccessToken()}` } })
    console.log(await response.json())
  }
  return <button onClick={load}>Load orders</button>
}

// <Auth0Provider domain clientId authorizationParams onRedirectCallback> becomes:
createRoot(document.getElementById('root')!).render(
  <AuthProvider client={auth}>
    {/* withAuthenticationRequired(Orders, { onRedirecting: () => <Spinner /> }) */}
    <RequireAuth fallback={<Spinner />}>
      <Orders />
    </RequireAuth>
  </AuthProvider>,
)
