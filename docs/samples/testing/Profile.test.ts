import { fireEvent, render, screen } from '@testing-library/vue'
import { createAuthPlugin, useAuth } from '@tokenkeep/vue'
import { createTestAuthClient } from '@tokenkeep/vue/testing'
import { expect, test } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'

// The component under test: usually an imported .vue file.
const Profile = defineComponent(() => {
  const { isLoading, user, login } = useAuth()
  return () => (isLoading.value ? h('p', 'Loading…') : user.value ? h('p', `Hello ${String(user.value.name)}`) : h('button', { onClick: () => login() }, 'Log in'))
})

test('loading, then signed in, then signed out', async () => {
  const auth = createTestAuthClient()
  render(Profile, { global: { plugins: [createAuthPlugin(auth)] } })
  expect(screen.getByText('Loading…')).toBeTruthy()

  auth.signIn({ sub: 'u1', name: 'Alice' })
  await nextTick()
  expect(screen.getByText('Hello Alice')).toBeTruthy()

  auth.signOut()
  await nextTick()
  await fireEvent.click(screen.getByRole('button'))
  expect(auth.calls.login).toHaveLength(1)
})
