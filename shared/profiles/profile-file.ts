/**
 * User-supplied profiles (`--profile-file FILE`): a YAML document in the ProductProfile shape,
 * validated field by field so a mistake names its path ("profile my.yaml: workloads[1].kind must
 * be Deployment or StatefulSet") instead of failing later in the middle of a restore.
 */
import yaml from 'js-yaml';
import { CliError } from '../errors/errors.js';
import { ExitCode } from '../errors/exit-codes.js';
import { isValidRange, parseVersion } from '../version/semver.js';
import { kindKey, type DataPlane, type PreflightFacts, type ProductProfile, type ResourceKind, type ScalableWorkload } from './types.js';

/** ProfileFileError is an invalid profile file (exit 3, a bad input file). */
export class ProfileFileError extends CliError {
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`profile ${file}: ${problem}`, ExitCode.BadInput, options);
  }
}

type Json = unknown;

class Reader {
  constructor(private readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new ProfileFileError(this.file, `${path} ${problem}`);
  }

  object(value: Json, path: string): Record<string, Json> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'must be a mapping');
    return value as Record<string, Json>;
  }

  string(value: Json, path: string): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(path, 'must be a non-empty string');
    return value;
  }

  optionalString(value: Json, path: string): string | undefined {
    return value === undefined || value === null ? undefined : this.string(value, path);
  }

  boolean(value: Json, path: string, fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') this.fail(path, 'must be true or false');
    return value;
  }

  array(value: Json, path: string, fallback?: Json[]): Json[] {
    if ((value === undefined || value === null) && fallback !== undefined) return fallback;
    if (!Array.isArray(value)) this.fail(path, 'must be a list');
    return value;
  }

  strings(value: Json, path: string, fallback?: string[]): string[] {
    return this.array(value, path, fallback).map((item, index) => this.string(item, `${path}[${index}]`));
  }

  oneOf<T extends string>(value: Json, path: string, choices: readonly T[]): T {
    if (typeof value !== 'string' || !choices.includes(value as T)) this.fail(path, `must be ${choices.join(' or ')}`);
    return value as T;
  }

  range(value: Json, path: string): string | undefined {
    const range = this.optionalString(value, path);
    if (range !== undefined && !isValidRange(range)) this.fail(path, `"${range}" is not a semver range`);
    return range;
  }
}

function readKind(reader: Reader, value: Json, path: string): ResourceKind {
  const entry = reader.object(value, path);
  const versions = reader.strings(entry.versions, `${path}.versions`);
  if (versions.length === 0) reader.fail(`${path}.versions`, 'must list at least one version');
  const plural = reader.string(entry.plural, `${path}.plural`);
  if (plural !== plural.toLowerCase()) reader.fail(`${path}.plural`, 'must be lower case');
  return {
    group: reader.string(entry.group, `${path}.group`),
    versions,
    kind: reader.string(entry.kind, `${path}.kind`),
    plural,
    namespaced: reader.boolean(entry.namespaced, `${path}.namespaced`, true),
    restore: reader.boolean(entry.restore, `${path}.restore`, true),
    ...(entry.note === undefined ? {} : { note: reader.string(entry.note, `${path}.note`) }),
  };
}

function readWorkload(reader: Reader, value: Json, path: string): ScalableWorkload {
  const entry = reader.object(value, path);
  const versions = reader.range(entry.versions, `${path}.versions`);
  return {
    kind: reader.oneOf(entry.kind, `${path}.kind`, ['Deployment', 'StatefulSet'] as const),
    name: reader.string(entry.name, `${path}.name`),
    ...(versions === undefined ? {} : { versions }),
    optional: reader.boolean(entry.optional, `${path}.optional`, false),
  };
}

function readPreflight(reader: Reader, value: Json): PreflightFacts | undefined {
  if (value === undefined || value === null) return undefined;
  const entry = reader.object(value, 'preflight');
  const range = (item: Json, path: string): string => reader.range(item, path) ?? reader.fail(path, 'must be a semver range');
  return {
    kubernetes: reader.array(entry.kubernetes, 'preflight.kubernetes', []).map((item, index) => {
      const path = `preflight.kubernetes[${index}]`;
      const support = reader.object(item, path);
      return {
        versions: range(support.versions, `${path}.versions`),
        kubernetes: range(support.kubernetes, `${path}.kubernetes`),
        source: reader.optionalString(support.source, `${path}.source`) ?? 'profile file',
      };
    }),
    notes: reader.array(entry.notes, 'preflight.notes', []).map((item, index) => {
      const path = `preflight.notes[${index}]`;
      const note = reader.object(item, path);
      const at = reader.string(note.at, `${path}.at`);
      if (!parseVersion(at)) reader.fail(`${path}.at`, `"${at}" is not a version`);
      const link = reader.optionalString(note.link, `${path}.link`);
      return {
        at,
        severity:
          note.severity === undefined ? 'warning' : reader.oneOf(note.severity, `${path}.severity`, ['warning', 'blocker'] as const),
        message: reader.string(note.message, `${path}.message`),
        ...(link === undefined ? {} : { link }),
      };
    }),
    productImages: reader.strings(entry.productImages, 'preflight.productImages', []),
    rbacHint:
      reader.optionalString(entry.rbacHint, 'preflight.rbacHint') ?? "ask a cluster admin to apply the CRDs and the chart's cluster roles",
    upgradeGuide: reader.optionalString(entry.upgradeGuide, 'preflight.upgradeGuide') ?? '',
  };
}

function readDataPlane(reader: Reader, value: Json): DataPlane | undefined {
  if (value === undefined || value === null) return undefined;
  const entry = reader.object(value, 'dataPlane');
  const initContainer = reader.optionalString(entry.initContainer, 'dataPlane.initContainer');
  const injectionAnnotation = reader.optionalString(entry.injectionAnnotation, 'dataPlane.injectionAnnotation');
  return {
    sidecarContainer: reader.string(entry.sidecarContainer, 'dataPlane.sidecarContainer'),
    ...(initContainer === undefined ? {} : { initContainer }),
    ...(injectionAnnotation === undefined ? {} : { injectionAnnotation }),
  };
}

/** validateProfile checks a parsed YAML document and returns it as a ProductProfile; `file` names it in errors. */
export function validateProfile(document: Json, file: string): ProductProfile {
  const reader = new Reader(file);
  const root = reader.object(document, 'document');
  const name = reader.string(root.name, 'name');
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name)) reader.fail('name', 'must be lower-case letters, digits and dashes');
  const kinds = reader.array(root.kinds, 'kinds').map((kind, index) => readKind(reader, kind, `kinds[${index}]`));
  const keys = new Set(kinds.map(kindKey));
  const restoreOrder = reader.strings(root.restoreOrder, 'restoreOrder', []);
  restoreOrder.forEach((key, index) => {
    if (!keys.has(key)) reader.fail(`restoreOrder[${index}]`, `"${key}" is not one of kinds (<plural>.<group>)`);
  });
  const workloads = reader.array(root.workloads, 'workloads', []).map((w, index) => readWorkload(reader, w, `workloads[${index}]`));
  const names = new Set(workloads.map((workload) => workload.name));
  const order = (field: 'scaleDownOrder' | 'scaleUpOrder', fallback: string[]): string[] => {
    const list = reader.strings(root[field], field, fallback);
    list.forEach((entry, index) => {
      if (!names.has(entry)) reader.fail(`${field}[${index}]`, `"${entry}" is not one of workloads[].name`);
    });
    return list;
  };
  const workloadNames = [...names];
  // chart, cli and versionDetection matter to crdsync and preflight only: a profile that just
  // backs up and scales an operator's control plane may leave them out.
  const chart = root.chart === undefined ? { name, repository: '' } : reader.object(root.chart, 'chart');
  const cli = root.cli === undefined ? { name: '', versionArgs: [], versionFormat: 'text' } : reader.object(root.cli, 'cli');
  const firstWorkload = workloads[0];
  const detection =
    root.versionDetection === undefined
      ? {
          imageWorkload: {
            kind: firstWorkload?.kind ?? 'Deployment',
            name: firstWorkload?.name ?? name,
            container: firstWorkload?.name ?? name,
          },
        }
      : reader.object(root.versionDetection, 'versionDetection');
  const image = reader.object(detection.imageWorkload, 'versionDetection.imageWorkload');
  const preflight = readPreflight(reader, root.preflight);
  const dataPlane = readDataPlane(reader, root.dataPlane);
  return {
    name,
    displayName: reader.optionalString(root.displayName, 'displayName') ?? name,
    namespace: reader.string(root.namespace, 'namespace'),
    kinds,
    restoreOrder,
    discoveryGroups: reader.strings(root.discoveryGroups, 'discoveryGroups', []),
    workloads,
    scaleDownOrder: order('scaleDownOrder', workloadNames),
    scaleUpOrder: order('scaleUpOrder', [...workloadNames].reverse()),
    chart: {
      name: reader.string(chart.name, 'chart.name'),
      repository: chart.repository === '' ? '' : reader.string(chart.repository, 'chart.repository'),
      alternateNames: reader.strings(chart.alternateNames, 'chart.alternateNames', []),
    },
    crdSources: reader.array(root.crdSources, 'crdSources', []).map((value, index) => {
      const path = `crdSources[${index}]`;
      const entry = reader.object(value, path);
      return {
        versions: reader.range(entry.versions, `${path}.versions`) ?? '*',
        repository: reader.string(entry.repository, `${path}.repository`),
        path: reader.string(entry.path, `${path}.path`),
        tagPrefix: typeof entry.tagPrefix === 'string' ? entry.tagPrefix : 'v',
      };
    }),
    cli: {
      name: cli.name === '' ? '' : reader.string(cli.name, 'cli.name'),
      versionArgs: reader.strings(cli.versionArgs, 'cli.versionArgs', []),
      versionFormat: reader.oneOf(cli.versionFormat, 'cli.versionFormat', ['json', 'text'] as const),
      ...(cli.versionPath === undefined ? {} : { versionPath: reader.string(cli.versionPath, 'cli.versionPath') }),
    },
    versionDetection: {
      helmChartNames: reader.strings(detection.helmChartNames, 'versionDetection.helmChartNames', []),
      chartVersionField:
        detection.chartVersionField === undefined
          ? 'version'
          : reader.oneOf(detection.chartVersionField, 'versionDetection.chartVersionField', ['version', 'appVersion'] as const),
      imageWorkload: {
        kind: reader.oneOf(image.kind, 'versionDetection.imageWorkload.kind', ['Deployment', 'StatefulSet'] as const),
        name: reader.string(image.name, 'versionDetection.imageWorkload.name'),
        container: reader.string(image.container, 'versionDetection.imageWorkload.container'),
      },
      ...(detection.ossVersionAnnotation === undefined
        ? {}
        : { ossVersionAnnotation: reader.string(detection.ossVersionAnnotation, 'versionDetection.ossVersionAnnotation') }),
    },
    ...(preflight ? { preflight } : {}),
    ...(dataPlane ? { dataPlane } : {}),
  };
}

/** loadProfileFile reads, parses and validates a profile file; `readFile` is injected (fs.readFileSync in main). */
export function loadProfileFile(file: string, readFile: (file: string) => string): ProductProfile {
  let text: string;
  try {
    text = readFile(file);
  } catch (err) {
    throw new ProfileFileError(file, `cannot read: ${(err as Error).message}`, { cause: err });
  }
  let document: unknown;
  try {
    document = yaml.load(text);
  } catch (err) {
    throw new ProfileFileError(file, `invalid YAML: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  return validateProfile(document, file);
}
