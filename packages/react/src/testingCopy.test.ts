// @vitest-environment node
/// <reference types="node" />
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'

it('the test double is the same file in @tokenkeep/react and @tokenkeep/vue', () => {
  const react = readFileSync(new URL('./testing.ts', import.meta.url), 'utf8')
  expect(readFileSync(new URL('../../vue/src/testing.ts', import.meta.url), 'utf8')).toBe(react)
})
