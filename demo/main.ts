/**
 * `npm run demo -- gloo-mesh|gloo-edge|nginx-service-mesh [--helm 3|4] [--kubeconfig FILE]
 * [--crd-context NAME] [--work-dir DIR] [--keep]`: rehearses a vendor upgrade end to end on a sandbox API server,
 * with real helm installs and upgrades from a loopback chart repository and the plugins as users
 * run them. Exit code: the failing step's, 0 when every step passed, 2 for a usage error, 1 when
 * the rehearsal could not be set up.
 */
import { parseArgs } from 'node:util';
import { findVendorFixtures } from '../sandbox/products/vendor-fixtures.js';
import { rehearsalVersions, type RehearsedProduct } from './charts/product-charts.js';
import { runDemo } from './run-demo.js';
import { repoRoot } from './tools.js';

const products = Object.keys(rehearsalVersions) as RehearsedProduct[];

const usage = `Usage: npm run demo -- ${products.join('|')} [options]

Rehearses the product's upgrade procedure end to end on a sandbox API server: the old version
installed with helm from a loopback chart repository, then each vendor step as the command the
README gives, its output and its time, ending with kubectl meshpreflight check.

Options:
  --helm 3|4            the helm major to run (default 3)
  --kubeconfig FILE     rehearse on this cluster (current context, token credentials) instead of a new sandbox
  --crd-context NAME    run the CRD step (helm crdsync) as this kubeconfig context
  --work-dir DIR        keep the work folder (backups, the rehearsal's full log) in DIR, a new or empty folder
  --keep                keep the sandbox, repository and work folder after the last step, until Ctrl-C
  -h, --help            show this help

Exit codes: 0 every step passed; the failing step's exit code; 1 the rehearsal could not be set up; 2 usage.
`;

function fail(message: string, code: number): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    strict: true,
    options: {
      helm: { type: 'string', default: '3' },
      kubeconfig: { type: 'string' },
      'crd-context': { type: 'string' },
      keep: { type: 'boolean' },
      'work-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  fail(`${(error as Error).message} (see --help)`, 2);
}
if (parsed.values.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const [product, ...extra] = parsed.positionals;
if (!product || extra.length > 0 || !products.includes(product as RehearsedProduct))
  fail(`expected one product, ${products.join(', ')}; got "${parsed.positionals.join(' ')}" (see --help)`, 2);
if (parsed.values.helm !== '3' && parsed.values.helm !== '4') fail(`--helm must be 3 or 4, got "${parsed.values.helm}"`, 2);

try {
  const result = await runDemo({
    product: product as RehearsedProduct,
    helm: parsed.values.helm === '4' ? 4 : 3,
    ...(parsed.values.kubeconfig ? { kubeconfig: parsed.values.kubeconfig } : {}),
    ...(parsed.values['crd-context'] ? { crdContext: parsed.values['crd-context'] } : {}),
    ...(parsed.values.keep ? { hold: () => new Promise<void>((resolve) => process.once('SIGINT', () => resolve())) } : {}),
    ...(parsed.values['work-dir'] ? { workDir: parsed.values['work-dir'] } : {}),
    fixturesDir: findVendorFixtures(process.env, repoRoot),
    env: process.env,
    out: process.stdout,
  });
  process.exitCode = result.exitCode;
} catch (error) {
  fail(`the rehearsal could not be set up: ${(error as Error).message}`, 1);
}
