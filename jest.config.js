/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
  // The plan key goes to a temp directory, never the real ~/.config (spec/setup-env.ts).
  setupFiles: ['<rootDir>/spec/setup-env.ts'],
  // Specs spawn real processes; two workers match the two cores CI has.
  maxWorkers: 2,
};
