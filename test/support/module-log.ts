/**
 * A module-load recorder for tests that check what a plugin process loads (client-node only when
 * credentials need it; nothing heavy for --help): a resolve hook, registered through
 * `node --import <register>`, appends every module URL the process resolves to a log file. The
 * hook runs in node's loader thread, so it sees every import, static or dynamic.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** ModuleLog is where the hook writes, and the file to pass to `node --import`. */
export interface ModuleLog {
  /** log is the file of resolved module URLs, one per line. */
  readonly log: string;
  /** register is the module to give `--import` (or NODE_OPTIONS `--import`). */
  readonly register: string;
}

/** writeModuleLogHook writes the hook and its register module into dir, and an empty log. */
export function writeModuleLogHook(dir: string, logName = 'modules.log'): ModuleLog {
  const log = path.join(dir, logName);
  writeFileSync(log, '');
  const hook = path.join(dir, 'module-log-hook.mjs');
  writeFileSync(
    hook,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}\n`,
  );
  const register = path.join(dir, 'module-log-register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hook}`)});\n`);
  return { log, register };
}
