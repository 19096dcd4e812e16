// Unit tests sit beside the code (src/**/*.spec.ts); API and end-to-end suites live in test/.
const transform = { '^.+\\.ts$': ['@swc/jest'] };
module.exports = {
  projects: [
    { displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'], transform, testEnvironment: 'node' },
    { displayName: 'api', testMatch: ['<rootDir>/test/api/**/*.spec.ts'], transform, testEnvironment: 'node' },
    { displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'], transform, testEnvironment: 'node' },
  ],
  testTimeout: 60000,
};
