// @vitest-environment node
// No window, document or storage here: importing the adapter and rendering it on a server must work.
import { createAuthClient } from '@tokenkeep/core'
import { renderToString } from 'react-dom/server'
import { expect, it } from 'vitest'
import { AuthProvider, RequireAuth, useAuth } from './index'

it('renders the loading state on the server without touching window', () => {
  expect(typeof window).toBe('undefined')
  const auth = createAuthClient({
    issuer: 'https://op.example.test',
    clientId: 'c',
    redirectUri: 'https://app.example.test/callback',
  })
  function Status() {
    return <p>{useAuth().status}</p>
  }
  const html = renderToString(
    <AuthProvider client={auth}>
      <Status />
      <RequireAuth fallback={<i>wait</i>}>secret</RequireAuth>
    </AuthProvider>,
  )
  expect(html).toBe('<p>loading</p><i>wait</i>')
})
