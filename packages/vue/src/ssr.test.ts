// @vitest-environment node
// No window, document or storage here: importing both entries and rendering on a server must work.
import { createAuthClient } from '@tokenkeep/core'
import { createSSRApp, defineComponent, h } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { expect, it, vi } from 'vitest'
import { createAuthPlugin, useAuth } from './index'
import { createAuthGuard } from './router'

it('renders the loading state on the server and never starts the client', async () => {
  expect(typeof window).toBe('undefined')
  const auth = createAuthClient({ issuer: 'https://op.example.test', clientId: 'c', redirectUri: 'https://app.example.test/callback' })
  const start = vi.spyOn(auth, 'start')
  expect(typeof createAuthGuard(auth)).toBe('function')
  const Status = defineComponent(() => {
    const { status } = useAuth()
    return () => h('p', status.value)
  })
  const app = createSSRApp(Status).use(createAuthPlugin(auth))
  expect(await renderToString(app)).toBe('<p>loading</p>')
  expect(start).not.toHaveBeenCalled()
})
