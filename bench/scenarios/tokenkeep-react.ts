// The React adapter as an app uses it (React and @tokenkeep/core external): provider, hook,
// route guard.
import { createAuthClient } from '@tokenkeep/core'
import { AuthProvider, RequireAuth, useAuth } from '@tokenkeep/react'
import { createElement } from 'react'

const client = createAuthClient({ issuer: 'https://id.example.com', clientId: 'spa', redirectUri: `${location.origin}/callback` })

function Profile() {
  const { user, logout } = useAuth()
  return createElement('button', { onClick: () => void logout() }, String(user?.name ?? ''))
}

export const app = createElement(AuthProvider, { client }, createElement(RequireAuth, null, createElement(Profile)))
