/**
 * What a rehearsed vendor procedure is: the product, where its chart is published in the rehearsal
 * repository, the versions it goes between, the Kubernetes version the sandbox reports for it, and
 * the steps, run through a Rehearsal.
 */
import type { ProductChart, RehearsedProduct } from '../charts/product-charts.js';
import type { Rehearsal } from '../rehearsal.js';

/** A version of the product and of its chart (they differ for NGINX Service Mesh 1.7.0: chart 0.7.0). */
export interface ReleaseVersion {
  readonly product: string;
  readonly chart: string;
}

/** What the steps need to know about the rehearsal they run in. */
export interface ProcedureContext {
  /** The chart repository's index.yaml URL (for `kubectl meshpreflight --versions-from`). */
  readonly indexUrl: string;
  /** The charts the repository serves. */
  readonly charts: readonly ProductChart[];
  /** The kubeconfig context the CRD step runs as; undefined for the current one. */
  readonly crdContext: string | undefined;
  /** The helm major the rehearsal runs. */
  readonly helmMajor: 3 | 4;
}

/** A rehearsed procedure. */
export interface Procedure {
  readonly product: RehearsedProduct;
  /** The title printed at the top. */
  readonly title: string;
  /** The profile the plugins take (`--profile`). */
  readonly profile: string;
  readonly namespace: string;
  readonly release: string;
  /** The repository name the vendor docs `helm repo add`, and the chart in it. */
  readonly repoName: string;
  readonly chartName: string;
  readonly from: ReleaseVersion;
  readonly to: ReleaseVersion;
  /** The version the sandbox reports: one the product supports (Gloo Mesh's v1beta1 CRDs need < 1.22). */
  readonly k8sVersion: string;
  /** prepare leaves the cluster as users have it before the upgrade, after the chart's install (not a vendor step). */
  prepare?(rehearsal: Rehearsal, context: ProcedureContext): Promise<void>;
  /** run runs the vendor steps. */
  run(rehearsal: Rehearsal, context: ProcedureContext): Promise<void>;
}

/** chartRef is REPO/NAME as the vendor docs write it. */
export function chartRef(procedure: Procedure): string {
  return `${procedure.repoName}/${procedure.chartName}`;
}

/** kubeContextFlags passes --kube-context to a helm command when the CRD step runs as another context. */
export function kubeContextFlags(context: ProcedureContext): string[] {
  return context.crdContext ? ['--kube-context', context.crdContext] : [];
}

/** crdUndo is the undo command helm crdsync printed for the CRDs it changed, else how to find it. */
export function crdUndo(crdsyncOutput: string): string {
  const printed = /undo: (kubectl apply --server-side --force-conflicts -f \S+?\.ya?ml)/.exec(crdsyncOutput)?.[1];
  return printed
    ? `${printed}   # the CRDs as they were`
    : 'kubectl apply --server-side --force-conflicts -f <the crds-before-*.yaml helm crdsync printed>';
}
