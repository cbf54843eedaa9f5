/**
 * The floor of the crdsync benchmark: the least a Node client can do for the requests the issue
 * asks of `helm crdsync` (list the live CRDs, a server-side dry-run apply of each, the apply of
 * each, then wait until the new ones are Established), with the CRDs already turned into JSON. No
 * chart to fetch, no YAML to parse, no plan, no backup, no output: what is left of crdsync's time
 * above this is the work those steps need. Run by bench/crdsync.ts as its own process (node and
 * node:https only, so it starts as fast as Node does):
 *
 *   node dist/bench/crdsync-floor.js SERVER_URL CA_FILE TOKEN_FILE BODIES_FILE
 *
 * BODIES_FILE is a JSON array of { name, body } (body: the CRD as JSON text).
 */
import https from 'node:https';
import { readFileSync } from 'node:fs';

interface Body {
  readonly name: string;
  readonly body: string;
}

const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
/** concurrency is helm crdsync's default --concurrency. */
const concurrency = 8;

async function main(): Promise<void> {
  const [serverUrl, caFile, tokenFile, bodiesFile] = process.argv.slice(2);
  if (!serverUrl || !caFile || !tokenFile || !bodiesFile) throw new Error('usage: crdsync-floor SERVER_URL CA_FILE TOKEN_FILE BODIES_FILE');
  const server = new URL(serverUrl);
  const token = readFileSync(tokenFile, 'utf8').trim();
  const agent = new https.Agent({ keepAlive: true, ca: readFileSync(caFile), maxSockets: concurrency });
  const send = (
    method: string,
    path: string,
    body?: string,
  ): Promise<{ metadata: { name: string }; items?: unknown[]; status?: unknown }> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
      if (body !== undefined)
        Object.assign(headers, { 'Content-Type': 'application/apply-patch+yaml', 'Content-Length': Buffer.byteLength(body) });
      const request = https.request({ hostname: server.hostname, port: server.port, method, path, agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((response.statusCode ?? 0) >= 300) reject(new Error(`${method} ${path}: ${response.statusCode} ${text.slice(0, 200)}`));
          else resolve(JSON.parse(text));
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });
  const pool = async (items: readonly Body[], work: (item: Body) => Promise<void>): Promise<void> => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < items.length) await work(items[next++] as Body);
      }),
    );
  };
  const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8')) as Body[];
  const live = await send('GET', crdPath);
  const liveNames = new Set((live.items as Array<{ metadata: { name: string } }>).map((crd) => crd.metadata.name));
  await pool(bodies, async ({ name, body }) => {
    await send('PATCH', `${crdPath}/${name}?fieldManager=floor&force=true&dryRun=All`, body);
  });
  await pool(bodies, async ({ name, body }) => {
    await send('PATCH', `${crdPath}/${name}?fieldManager=floor&force=true`, body);
  });
  // Only new CRDs wait: an update of an established CRD stays Established.
  const established = (crd: { status?: unknown }) =>
    ((crd.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? []).some(
      (condition) => condition.type === 'Established' && condition.status === 'True',
    );
  for (const { name } of bodies.filter((item) => !liveNames.has(item.name))) {
    while (!established(await send('GET', `${crdPath}/${name}`))) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  agent.destroy();
}

main().catch((err: unknown) => {
  process.stderr.write(`crdsync-floor: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
