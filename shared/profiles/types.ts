/**
 * The shape of a product profile: everything the plugins need to know about one control plane
 * (which custom resources it owns, in which order they can be restored, which workloads run it and
 * in which order to stop and start them, where its chart and CRDs come from, how to read its
 * version). Built-in profiles are typed data; users add their own from YAML (profile-file.ts).
 */

/** ResourceKind is one custom resource kind a product owns. */
export interface ResourceKind {
  /** API group, e.g. "gateway.solo.io". */
  readonly group: string;
  /** Served versions, preferred (storage) first, e.g. ["v1"]. */
  readonly versions: readonly string[];
  readonly kind: string;
  /** Plural resource name, e.g. "virtualservices". */
  readonly plural: string;
  /** namespaced is false for cluster-scoped kinds. */
  readonly namespaced: boolean;
  /**
   * restore is false for kinds a controller or the chart regenerates (backing them up is useful
   * for diffing; restoring them fights the controller).
   */
  readonly restore: boolean;
  /** note says why a kind is special, for `--help` and logs. */
  readonly note?: string;
  /** since is the first product version whose CRDs include this kind (e.g. "1.17.0"); omitted = every version. */
  readonly since?: string;
}

/** ScalableWorkload is a control-plane Deployment or StatefulSet the product runs. */
export interface ScalableWorkload {
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly name: string;
  /** versions is a semver range of product versions that have this workload; omitted = all. */
  readonly versions?: string;
  /** optional workloads may be absent (disabled by a chart value); missing required ones are an error. */
  readonly optional?: boolean;
}

/** ChartSource says where a product's Helm chart is published. */
export interface ChartSource {
  /** Chart name as in Chart.yaml, e.g. "gloo". */
  readonly name: string;
  /** Classic chart repository URL (`helm repo add`). */
  readonly repository: string;
  /** Other chart names that install the same product (Enterprise charts), for release detection. */
  readonly alternateNames?: readonly string[];
}

/** CrdSource says where a product keeps its CRD files in Git for a range of versions. */
export interface CrdSource {
  /** Semver range of product versions this entry applies to, e.g. ">=1.12.0". */
  readonly versions: string;
  /** GitHub "owner/repo". */
  readonly repository: string;
  /** Path of the CRD directory (or single file) inside the repository at the version's tag. */
  readonly path: string;
  /** tagPrefix turns a version into the Git tag: "v" for v1.17.0. */
  readonly tagPrefix: string;
}

/** VendorCli describes the product's own CLI and how to ask it for its version. */
export interface VendorCli {
  /** Executable name, e.g. "glooctl". */
  readonly name: string;
  /** Arguments that print the version, e.g. ["version", "-o", "json"]. */
  readonly versionArgs: readonly string[];
  /** How to read the output: "json" with a dotted path to the client version, or "text" (first version-looking token). */
  readonly versionFormat: 'json' | 'text';
  /** For json output: the dotted path of the client version, e.g. "client.version". */
  readonly versionPath?: string;
}

/** VersionDetection says how to find the installed product version, in order of preference. */
export interface VersionDetection {
  /** Chart names whose Helm release Secret gives chart.metadata.version (preflight.md §3). */
  readonly helmChartNames: readonly string[];
  /**
   * chartVersionField says which Chart.yaml field is the product version: "version", or
   * "appVersion" (falling back to "version" when a chart has none).
   */
  readonly chartVersionField: 'version' | 'appVersion';
  /** Fallback: the image tag of this container of this workload. */
  readonly imageWorkload: { readonly kind: 'Deployment' | 'StatefulSet'; readonly name: string; readonly container: string };
  /** An annotation on the pod template that holds the open-source version of an Enterprise build. */
  readonly ossVersionAnnotation?: string;
}

/**
 * VersionNote is a behaviour change an upgrade crosses: it applies to a hop from A to B when
 * A < `at` <= B (kubectl meshpreflight prints it for that hop).
 */
export interface VersionNote {
  /** at is the first product version with the change, e.g. "1.7.0". */
  readonly at: string;
  /** severity: "warning" is printed; "blocker" fails the preflight until handled. */
  readonly severity: 'warning' | 'blocker';
  readonly message: string;
  /** link is the vendor page that says so. */
  readonly link?: string;
}

/** KubernetesSupport says which Kubernetes versions a range of product versions supports. */
export interface KubernetesSupport {
  /** versions is a semver range of product versions, e.g. ">=1.17.0-0 <1.18.0-0". */
  readonly versions: string;
  /** kubernetes is the supported Kubernetes range, e.g. ">=1.25.0-0 <1.30.0-0". */
  readonly kubernetes: string;
  /** source says where the range comes from (a vendor page, a chart's kubeVersion). */
  readonly source: string;
}

/** PreflightFacts is what `kubectl meshpreflight` needs beyond the rest of the profile. */
export interface PreflightFacts {
  /** kubernetes lists supported Kubernetes ranges; a version none matches is "unknown" (a warning). */
  readonly kubernetes: readonly KubernetesSupport[];
  /** notes are version notes, printed for the hops that cross them. */
  readonly notes: readonly VersionNote[];
  /**
   * productImages are the image names (last path segment, a trailing "*" matches a prefix) tagged
   * with the product version; other images (nats, spire …) have their own versions.
   */
  readonly productImages: readonly string[];
  /** rbacHint tells a user without cluster-admin rights how the chart installs with fewer rights. */
  readonly rbacHint: string;
  /** upgradeGuide is the vendor's upgrade page. */
  readonly upgradeGuide: string;
  /** postUpgradeCheck is the vendor's own check command, and how far its exit code can be trusted. */
  readonly postUpgradeCheck?: string;
  /** gatewayProxyLabel selects Envoy gateway Deployments whose probes matter for zero-downtime (Gloo Edge). */
  readonly gatewayProxySelector?: string;
  /** enterpriseChart is where the Enterprise chart is published, for the version list of an Enterprise install. */
  readonly enterpriseChart?: { readonly name: string; readonly repository: string };
  /** certgenJob names the webhook-certificate Job that a helm upgrade cannot patch (Gloo Edge). */
  readonly certgenJob?: string;
}

/**
 * DataPlane says how to recognise the mesh's data plane in application pods, for
 * `kubectl meshscale reroll`: pods carrying the sidecar container get restarted after a mesh
 * upgrade, removal or redeploy.
 */
export interface DataPlane {
  /** sidecarContainer is the name of the injected proxy container, e.g. "nginx-mesh-sidecar". */
  readonly sidecarContainer: string;
  /** initContainer is the name of the injected init container (traffic redirection), when there is one. */
  readonly initContainer?: string;
  /**
   * injectionAnnotation is the pod-template (or namespace) annotation that turns automatic
   * injection on or off, e.g. "injector.nsm.nginx.com/auto-inject": a template saying "enabled"
   * wants the sidecar even when its running pods lack it (they started while the mesh was away).
   */
  readonly injectionAnnotation?: string;
}

/** ProductProfile is everything the plugins know about one product. */
export interface ProductProfile {
  /** name is the profile id users pass to --profile, e.g. "gloo-edge". */
  readonly name: string;
  readonly displayName: string;
  /** namespace is the control-plane namespace the vendor docs install into. */
  readonly namespace: string;
  /** kinds lists every custom resource kind the product owns. */
  readonly kinds: readonly ResourceKind[];
  /**
   * restoreOrder lists "<plural>.<group>" in the order they must be created: referenced objects
   * before the objects that reference them. Restorable kinds not listed go last.
   */
  readonly restoreOrder: readonly string[];
  /** discoveryGroups are API groups whose objects are regenerated by discovery and never restored. */
  readonly discoveryGroups: readonly string[];
  readonly workloads: readonly ScalableWorkload[];
  /** scaleDownOrder lists workload names, first stopped first. */
  readonly scaleDownOrder: readonly string[];
  /** scaleUpOrder lists workload names, first started first. */
  readonly scaleUpOrder: readonly string[];
  readonly chart: ChartSource;
  readonly crdSources: readonly CrdSource[];
  readonly cli: VendorCli;
  readonly versionDetection: VersionDetection;
  /** preflight facts; profiles from --profile-file may omit them (checks then say "unknown"). */
  readonly preflight?: PreflightFacts;
  /** dataPlane describes injected sidecars; absent for products without a sidecar data plane. */
  readonly dataPlane?: DataPlane;
}

/** kindKey names a kind as "<plural>.<group>", the form used in restoreOrder and CRD names. */
export function kindKey(kind: Pick<ResourceKind, 'plural' | 'group'>): string {
  return `${kind.plural}.${kind.group}`;
}
