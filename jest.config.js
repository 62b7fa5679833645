/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  // tsconfig.json sets isolatedModules, so ts-jest transpiles each file alone and type-checks
  // nothing: the specs' types are checked by `npm run typecheck` (tsc --noEmit over src, spec, demos).
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
  // The plan key goes to a temp directory, never the real ~/.config (spec/setup-env.ts).
  setupFiles: ['<rootDir>/spec/setup-env.ts'],
  // Specs spawn real processes and wait on them: with two workers on two cores, 1.6 cores were
  // busy; a third keeps them busy (plain run 183 s -> 163 s here). CI's long run (.ci/run) keeps
  // two, for the long variants' heavier loads.
  maxWorkers: 3,
};
