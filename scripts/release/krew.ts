/**
 * krew plugin manifests: rendered from the templates in krew/ for one version and download
 * URL, and checked against krew's own rules (kubernetes-sigs/krew
 * internal/index/validation/validate.go and cmd/validate-krew-manifest; research/packaging.md
 * "krew's manifest rules"), so a manifest the index would reject fails the release instead.
 */
import path from 'node:path';
import yaml from 'js-yaml';

/** The os/arch pairs krew knows (validate.go's osArchPairs). */
export const krewOsArchPairs: ReadonlyArray<readonly [os: string, arch: string]> = [
  ['darwin', 'amd64'],
  ['darwin', 'arm64'],
  ['linux', '386'],
  ['linux', 'amd64'],
  ['linux', 'arm'],
  ['linux', 'arm64'],
  ['linux', 'ppc64le'],
  ['linux', 's390x'],
  ['windows', '386'],
  ['windows', 'amd64'],
  ['windows', 'arm64'],
];

const windowsReservedNames = new Set([
  'con',
  'prn',
  'aux',
  'nul',
  ...Array.from({ length: 9 }, (_, i) => `com${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `lpt${i + 1}`),
]);

/** What a template is rendered with. sha256 maps "linux_amd64" to the archive's lowercase hex digest. */
export interface KrewRenderValues {
  /** The release version without the leading "v" (package.json's). */
  readonly version: string;
  /** The project's home page. */
  readonly homepage: string;
  /** Where the archives are downloaded from: the archive's file name is appended after a "/". */
  readonly downloadUrl: string;
  readonly sha256: ReadonlyMap<string, string>;
}

/**
 * renderKrewManifest substitutes a template's @VERSION@ (with krew's leading "v"), @HOMEPAGE@,
 * @DOWNLOAD_URL@ and @SHA256_<OS>_<ARCH>@ placeholders. Throws when one is left, naming it.
 */
export function renderKrewManifest(templateName: string, template: string, values: KrewRenderValues): string {
  const downloadUrl = values.downloadUrl.replace(/\/+$/, '');
  const rendered = template.replace(/@([A-Z0-9_]+)@/g, (whole, key: string) => {
    if (key === 'VERSION') return `v${values.version.replace(/^v/, '')}`;
    if (key === 'HOMEPAGE') return values.homepage;
    if (key === 'DOWNLOAD_URL') return downloadUrl;
    const sha = /^SHA256_([A-Z]+)_([A-Z0-9]+)$/.exec(key);
    const digest = sha ? values.sha256.get(`${sha[1]?.toLowerCase()}_${sha[2]?.toLowerCase()}`) : undefined;
    if (digest) return digest;
    throw new Error(`krew manifest ${templateName}: no value for placeholder ${whole}`);
  });
  return rendered;
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key?: string; operator?: string; values?: string[] }>;
}

/** selectorMatches evaluates a Kubernetes label selector against os/arch labels, as krew does. */
export function selectorMatches(selector: Selector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const value = e.key === undefined ? undefined : labels[e.key];
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (value === undefined || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && values.includes(value)) return false;
        break;
      case 'Exists':
        if (value === undefined) return false;
        break;
      case 'DoesNotExist':
        if (value !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * validateKrewManifest returns every way the manifest in file fileName breaks krew's rules
 * (empty when it passes): the checks of validate.go's ValidatePlugin and ValidatePlatform, and
 * validate-krew-manifest's "no two platforms match one os/arch".
 */
export function validateKrewManifest(fileName: string, text: string): string[] {
  const problems: string[] = [];
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (err) {
    return [`not YAML: ${(err as Error).message.split('\n')[0]}`];
  }
  const m = (doc ?? {}) as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown }; spec?: Record<string, unknown> };
  const name = typeof m.metadata?.name === 'string' ? m.metadata.name : '';
  if (m.apiVersion !== 'krew.googlecontainertools.github.com/v1alpha2')
    problems.push(`apiVersion is ${String(m.apiVersion)}, want krew.googlecontainertools.github.com/v1alpha2`);
  if (m.kind !== 'Plugin') problems.push(`kind is ${String(m.kind)}, want Plugin`);
  if (!/^[\w-]+$/.test(name)) problems.push(`metadata.name "${name}" does not match ^[\\w-]+$`);
  if (windowsReservedNames.has(name.toLowerCase())) problems.push(`metadata.name "${name}" is a reserved name on Windows`);
  if (path.basename(fileName) !== `${name}.yaml`)
    problems.push(`file name ${path.basename(fileName)} differs from metadata.name "${name}" + .yaml`);
  const spec = m.spec ?? {};
  const short = spec.shortDescription;
  if (typeof short !== 'string' || short.trim() === '') problems.push('spec.shortDescription is empty');
  else if (short.includes('\n')) problems.push('spec.shortDescription is more than one line');
  else if (short.length > 70) problems.push(`spec.shortDescription is ${short.length} characters, over krew's 70`);
  if (typeof spec.description !== 'string' || spec.description.trim() === '') problems.push('spec.description is empty');
  if (
    typeof spec.version !== 'string' ||
    !/^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(spec.version)
  ) {
    problems.push(`spec.version ${JSON.stringify(spec.version)} is not a semantic version with a leading "v"`);
  }
  const platforms = Array.isArray(spec.platforms) ? (spec.platforms as Array<Record<string, unknown>>) : [];
  if (platforms.length === 0) problems.push('spec.platforms is empty');
  platforms.forEach((p, i) => {
    const at = `spec.platforms[${i}]`;
    if (typeof p.uri !== 'string' || p.uri === '') problems.push(`${at}.uri is empty`);
    else if (!/^https?:\/\//.test(p.uri)) problems.push(`${at}.uri ${p.uri} is not an http(s) URL`);
    else if (!/\.(tar\.gz|tgz|zip)$/.test(p.uri)) problems.push(`${at}.uri ${p.uri} is neither a .tar.gz nor a .zip`);
    if (typeof p.sha256 !== 'string' || !/^[a-f0-9]{64}$/.test(p.sha256))
      problems.push(`${at}.sha256 ${JSON.stringify(p.sha256)} is not 64 lowercase hex digits`);
    if (typeof p.bin !== 'string' || p.bin === '') problems.push(`${at}.bin is empty`);
    if (p.files !== undefined) {
      const files = Array.isArray(p.files) ? (p.files as Array<Record<string, unknown>>) : [];
      if (files.length === 0) problems.push(`${at}.files is present but empty`);
      files.forEach((f, j) => {
        if (typeof f.from !== 'string' || f.from === '') problems.push(`${at}.files[${j}].from is empty`);
        if (typeof f.to !== 'string' || f.to === '') problems.push(`${at}.files[${j}].to is empty`);
      });
    }
    const selector = (p.selector ?? {}) as Selector & Record<string, unknown>;
    const keys = [...Object.keys(selector.matchLabels ?? {}), ...(selector.matchExpressions ?? []).map((e) => e.key ?? '')];
    if (keys.length === 0) problems.push(`${at}.selector is empty`);
    for (const key of keys)
      if (key !== 'os' && key !== 'arch') problems.push(`${at}.selector uses label "${key}"; only os and arch are allowed`);
    const matched = krewOsArchPairs.filter(([os, arch]) => selectorMatches(selector, { os, arch }));
    if (keys.length > 0 && matched.length === 0) problems.push(`${at}.selector matches no os/arch krew supports`);
    if (matched.some(([os]) => os === 'windows') && typeof p.bin === 'string' && !p.bin.endsWith('.exe'))
      problems.push(`${at}.bin ${p.bin} is for Windows but does not end in .exe`);
  });
  for (const [os, arch] of krewOsArchPairs) {
    const matching = platforms
      .map((p, i) => [p, i] as const)
      .filter(([p]) => selectorMatches((p.selector ?? {}) as Selector, { os, arch }));
    if (matching.length > 1)
      problems.push(`${os}/${arch} is matched by more than one platform (${matching.map(([, i]) => `spec.platforms[${i}]`).join(', ')})`);
  }
  return problems;
}

/** A platform entry as the release and the install test read it. */
export interface KrewPlatform {
  readonly os: string;
  readonly arch: string;
  readonly uri: string;
  readonly sha256: string;
  readonly bin: string;
  readonly files: ReadonlyArray<{ from: string; to: string }> | undefined;
}

/** krewPlatforms lists a (valid) manifest's platforms with the os/arch pairs each matches. */
export function krewPlatforms(text: string): KrewPlatform[] {
  const doc = yaml.load(text) as {
    spec: {
      platforms: Array<{ selector: Selector; uri: string; sha256: string; bin: string; files?: Array<{ from: string; to: string }> }>;
    };
  };
  return doc.spec.platforms.flatMap((p) =>
    krewOsArchPairs
      .filter(([os, arch]) => selectorMatches(p.selector, { os, arch }))
      .map(([os, arch]) => ({ os, arch, uri: p.uri, sha256: p.sha256, bin: p.bin, files: p.files })),
  );
}
