/**
 * The vendor-fixture tier: real vendor CRDs and examples read from ../shared/fixtures (or
 * MESH_VENDOR_FIXTURES). They are never committed; on a clone without them this tier says in
 * one line that it is skipped, and CI (which always has ../shared) runs it.
 */
import { findVendorFixtures } from '../../sandbox/products/vendor-fixtures.js';
import { repoRoot } from './paths.js';

/** vendorFixturesDir is the fixtures folder, or null when absent. */
export const vendorFixturesDir: string | null = findVendorFixtures(process.env, repoRoot);

let announced = false;

/** requireVendorFixtures skips the calling suite (once announced on stderr) when the fixtures are absent. */
export function requireVendorFixtures(context: Mocha.Context): string {
  if (vendorFixturesDir) return vendorFixturesDir;
  if (!announced) {
    announced = true;
    process.stderr.write('vendor-fixture tier skipped: ../shared/fixtures not found (set MESH_VENDOR_FIXTURES to run it)\n');
  }
  context.skip();
}
