// Unit tests sit beside the code (src/**/*.spec.ts); API and end-to-end suites live in test/.
// NestJS 12 and @kubernetes/client-node (with some of their dependencies) ship only ES modules, which Jest on Node 20 cannot
// require, so swc compiles those packages to CommonJS along with our own TypeScript.
const transform = { '^.+\\.(t|m?j)s$': ['@swc/jest'] };
const transformIgnorePatterns = ['/node_modules/(?!(@nestjs|@kubernetes|openid-client|oauth4webapi|jose|hpagent|isomorphic-ws|jsonpath-plus|@jsep-plugin|jsep|rfc4648|stream-buffers|uid|file-type|strtok3|token-types|peek-readable|@tokenizer|load-esm|@borewit|socks-proxy-agent|agent-base)/)'];
const common = { transform, transformIgnorePatterns, testEnvironment: 'node' };
module.exports = {
  projects: [
    { displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'], ...common },
    { displayName: 'api', testMatch: ['<rootDir>/test/api/**/*.spec.ts'], ...common },
    { displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'], ...common },
  ],
  testTimeout: 60000,
};
