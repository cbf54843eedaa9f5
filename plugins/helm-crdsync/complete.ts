#!/usr/bin/env node
/**
 * helm's `plugin.complete` hook for `helm crdsync`: helm runs it with the words typed after
 * `helm crdsync` and shows what it prints. The plugin answers in cobra's `__complete` protocol
 * (shared/cli/completion.ts).
 */
process.argv.splice(2, 0, '__complete');
await import('./main.js');
