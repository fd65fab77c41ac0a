import { expect } from 'vitest'
import Profile from '../support/Profile.vue'
// ---cut---
import { render, screen } from '@testing-library/vue'
import { createAuthPlugin } from '@tokenkeep/vue'
import { createTestAuthClient } from '@tokenkeep/vue/testing'
import { nextTick } from 'vue'

const auth = createTestAuthClient({ status: 'authenticated', user: { sub: 'u1', name: 'Alice' } })
render(Profile, { global: { plugins: [createAuthPlugin(auth)] } })
expect(screen.getByText('Log out Alice')).toBeTruthy()

auth.endSession() // or signIn(user), signOut(), loading(), set({ warning })
await nextTick()
expect(screen.getByText('Log in')).toBeTruthy()
