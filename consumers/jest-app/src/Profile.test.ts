import { fireEvent, render, screen } from '@testing-library/vue'
import { createAuthPlugin } from '@tokenkeep/vue'
import { createTestAuthClient } from '@tokenkeep/vue/testing'
import { nextTick } from 'vue'
import { Profile } from './Profile'

test('Vue: loading, signed in, session ended, signed out; login recorded, nothing sent', async () => {
  const auth = createTestAuthClient()
  render(Profile, { global: { plugins: [createAuthPlugin(auth)] } })
  expect(screen.getByText('Loading…')).toBeTruthy()

  auth.signIn({ sub: 'u1', name: 'Alice' })
  await nextTick()
  expect(screen.getByRole('button').textContent).toBe('Log out Alice')

  auth.endSession()
  await nextTick()
  await fireEvent.click(screen.getByRole('button'))
  expect(auth.calls.login).toEqual([{}])

  auth.signOut()
  await nextTick()
  expect(screen.getByRole('button').textContent).toBe('Log in')
})
