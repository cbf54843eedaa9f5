#!/usr/bin/env node
/**
 * `kubectl_complete-meshbackup`: kubectl (1.26+) runs this executable, found on PATH, to complete
 * what follows `kubectl meshbackup` on Tab, passing the words typed so far. The plugin itself
 * answers in cobra's `__complete` protocol (shared/cli/completion.ts).
 */
process.argv.splice(2, 0, '__complete');
await import('./main.js');
