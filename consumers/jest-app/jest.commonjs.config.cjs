// Jest in its default CommonJS mode (as Create React App and most existing setups run it):
// @tokenkeep/* are ES modules only, so babel-jest turns them into CommonJS like the app's code.
module.exports = {
  testEnvironment: 'jsdom',
  transformIgnorePatterns: ['/node_modules/(?!@tokenkeep/)'],
}
