// @vitest-environment node
/// <reference types="node" />
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8').replace(/@module \S+/, '@module')

it('the test double is the same file in @tokenkeep/react and @tokenkeep/vue, but for its @module line', () => {
  expect(read('../../vue/src/testing.ts')).toBe(read('./testing.ts'))
})
