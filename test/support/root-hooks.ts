/**
 * Mocha root hooks shared by every tier: fail fast, with one clear line, when a tool the tests
 * judge with is missing, rather than letting dozens of tests fail obscurely.
 */
import { kubectlPath } from './tools.js';

export const mochaHooks = {
  beforeAll(): void {
    kubectlPath();
  },
};
