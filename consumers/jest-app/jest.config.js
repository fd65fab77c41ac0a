// Jest running ES modules natively: `node --experimental-vm-modules node_modules/jest/bin/jest.js`.
// The packages need no transform; only the app's TypeScript and JSX go through babel-jest.
export default {
  testEnvironment: 'jsdom',
  // Vue's `import` build and its `require` build would be two Vues (@testing-library/vue requires
  // it): the `node` condition gives one, as @vue/test-utils advises for jest-environment-jsdom.
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: { '\\.tsx?$': 'babel-jest' },
}
