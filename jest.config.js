/** Integration and browser tests share one redis-server that globalSetup starts on a free port. */
module.exports = {
  testEnvironment: 'node',
  // eld (language detection) ships ES modules only; the service require()s them (Node >= 20.19), jest needs them compiled.
  transform: { '^.+\\.ts$': ['@swc/jest'], '/node_modules/eld/.+\\.js$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!eld/)'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  testTimeout: 60000,
};
