/** Tests run on the TypeScript sources (through SWC), so `npm test` needs no build of its own. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  // a package's index, and its modules named by their compiled path (`@recd/core/dist/errors`), from the sources
  moduleNameMapper: { '^@recd/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts', '^@recd/([a-z-]+)/dist/(.+)$': '<rootDir>/packages/$1/src/$2.ts' },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Timeouts guard against hangs, not speed: the suite runs on shared 2-core machines where jest's 5 s default trips under load.
  testTimeout: 120_000,
};
