/**
 * From CRD files (a chart's crds/, a GitHub folder) to the CustomResourceDefinitions to apply.
 * Every document is parsed behind the alias-bomb guard; documents that are not CRDs are skipped
 * with a warning, as Flux does (Helm would install them); a CRD named twice is refused (Helm would
 * fail half-way with AlreadyExists). apiextensions.k8s.io/v1beta1 CRDs are converted to v1 when the
 * server no longer serves v1beta1 (Kubernetes 1.22+), and kept as they are when it does.
 */
import { InputFileError } from '../errors/errors.js';
import type { KubeObject } from '../kube/ports.js';
import { loadYamlDocuments, maxExpandedNodes, YamlRefusal } from '../charts/safe-input.js';
import { apiextensionsV1, apiextensionsV1beta1, convertCrdToV1 } from './convert-v1beta1.js';
import type { IncomingCrd } from './plan.js';

/** CrdFile is one file of CRD YAML (or JSON, which is YAML). */
export interface CrdFile {
  readonly path: string;
  readonly text: string;
}

/** ReadCrdsOptions say how to treat v1beta1 CRDs and where to report skipped documents. */
export interface ReadCrdsOptions {
  /** serverServesV1beta1 is true on a cluster older than 1.22: v1beta1 CRDs are then applied as they are. */
  readonly serverServesV1beta1: boolean;
  /** warn receives one sentence per skipped document. */
  readonly warn: (message: string) => void;
}

const nameOf = (object: KubeObject): string => object.metadata?.name ?? '';

/**
 * crdReader returns a function that parses one file at a time into its CRDs, remembering the names
 * seen so far: callers that overlap parsing with requests (crdsync sends each CRD's dry-run as soon
 * as its file is parsed) read file by file; {@link readCrds} reads them all. Errors as readCrds.
 */
export function crdReader(source: string, options: ReadCrdsOptions): (file: CrdFile) => IncomingCrd[] {
  const seen = new Map<string, string>();
  return (file) => {
    const crds: IncomingCrd[] = [];
    let documents: unknown[];
    try {
      documents = loadYamlDocuments(file.text, maxExpandedNodes);
    } catch (err) {
      if (err instanceof YamlRefusal) throw new InputFileError(source, `${file.path}: ${err.message}`);
      throw err;
    }
    for (const [index, document] of documents.entries()) {
      const object = document as KubeObject;
      if (typeof object !== 'object' || Array.isArray(object) || object.kind !== 'CustomResourceDefinition') {
        const what =
          typeof object === 'object' && object !== null && !Array.isArray(object)
            ? `${String(object.kind ?? 'no kind')} ${object.metadata?.name ?? ''}`.trim()
            : 'not an object';
        options.warn(`skipping ${file.path} document ${index + 1} (${what}): not a CustomResourceDefinition`);
        continue;
      }
      if (object.apiVersion !== apiextensionsV1 && object.apiVersion !== apiextensionsV1beta1) {
        throw new InputFileError(
          source,
          `${file.path}: document ${index + 1} has apiVersion ${String(object.apiVersion)}, not apiextensions.k8s.io/v1 or v1beta1`,
        );
      }
      const name = nameOf(object);
      if (!name)
        throw new InputFileError(source, `${file.path}: document ${index + 1} is a CustomResourceDefinition without metadata.name`);
      const previous = seen.get(name);
      if (previous) throw new InputFileError(source, `${file.path}: CustomResourceDefinition ${name} is also defined in ${previous}`);
      seen.set(name, file.path);
      if (object.apiVersion === apiextensionsV1beta1 && !options.serverServesV1beta1) {
        const converted = convertCrdToV1(object);
        crds.push({ crd: converted.crd, file: file.path, convertedFrom: apiextensionsV1beta1, notes: converted.notes });
      } else {
        crds.push({ crd: object, file: file.path });
      }
    }
    return crds;
  };
}

/**
 * readCrds parses `files` (from `source`, named in errors) into the CRDs to apply, in file order.
 * A file that does not parse, an alias bomb, a CRD without a name or named twice is an
 * InputFileError (exit 3); an unknown CRD apiVersion too.
 */
export function readCrds(source: string, files: readonly CrdFile[], options: ReadCrdsOptions): IncomingCrd[] {
  const read = crdReader(source, options);
  return files.flatMap((file) => read(file));
}
