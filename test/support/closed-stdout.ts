/**
 * runWithClosedStdout runs a command whose stdout reader has already gone, as after `| head`
 * once head has read its lines: our end of the pipe is closed before the child starts, so its
 * first write meets EPIPE. Returns its exit code and stderr.
 */
import { spawn } from 'node:child_process';

export function runWithClosedStdout(
  file: string,
  args: readonly string[],
  options: { env: Readonly<Record<string, string>>; cwd: string; extendEnv?: boolean },
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = options.extendEnv === false ? { ...options.env } : { ...process.env, ...options.env };
    const child = spawn(file, args, { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** brokenPipeTrace finds what Node prints for an unhandled EPIPE (undefined when there is none). */
export function brokenPipeTrace(stderr: string): string | undefined {
  return /EPIPE|Unhandled 'error' event|\n\s+at /.exec(stderr)?.[0];
}
