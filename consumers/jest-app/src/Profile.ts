import { useAuth } from '@tokenkeep/vue'
import { defineComponent, h } from 'vue'

/** The same account corner in Vue (a render function: no SFC transform needed in Jest). */
export const Profile = defineComponent(() => {
  const { isLoading, user, error, login, logout } = useAuth()
  return () => {
    if (isLoading.value) return h('p', 'Loading…')
    if (error.value?.code === 'ERR_SESSION_EXPIRED') return h('button', { onClick: () => login() }, 'Your session ended: sign in again')
    if (!user.value) return h('button', { onClick: () => login() }, 'Log in')
    return h('button', { onClick: () => logout() }, `Log out ${String(user.value.name)}`)
  }
})
