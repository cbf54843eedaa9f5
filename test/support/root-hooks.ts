// Mocha root hooks shared by every tier (filled in by the test-harness work).
export const mochaHooks = {};
