// The Vue adapter as an app uses it (Vue, vue-router and @tokenkeep/core external): plugin,
// composable, router guard.
import { createAuthClient } from '@tokenkeep/core'
import { createAuthPlugin, useAuth } from '@tokenkeep/vue'
import { createAuthGuard } from '@tokenkeep/vue/router'
import { createApp, defineComponent, h } from 'vue'

const client = createAuthClient({ issuer: 'https://id.example.com', clientId: 'spa', redirectUri: `${location.origin}/callback` })

const Profile = defineComponent(() => {
  const { user, logout } = useAuth()
  return () => h('button', { onClick: () => void logout() }, String(user.value?.name ?? ''))
})

export const guard = createAuthGuard(client)
createApp(Profile).use(createAuthPlugin(client)).mount('#app')
