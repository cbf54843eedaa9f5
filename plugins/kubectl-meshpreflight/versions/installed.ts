/**
 * Which version is installed, and how we know (research/preflight.md §6): the Helm release
 * (chart version, or appVersion for NGINX) and the control-plane image tags, each reported with
 * its source. An image pinned by digest has no version: the release answers. Gloo Enterprise
 * images carry the Enterprise tag; the pod template's oss-image-tag annotation holds the
 * open-source version glooctl compares against (Enterprise x.y.a ships OSS x.y.b: expected).
 */
import { currentRelease, type HelmRelease } from '../../../shared/helm/release.js';
import type { KubeObject } from '../../../shared/kube/ports.js';
import type { ProductProfile } from '../../../shared/profiles/index.js';
import { compareVersions, parseVersion, type VendorVersion } from '../../../shared/version/semver.js';

/** ImageRef is a container image split as glooctl does: registry/repository, name, tag, digest. */
export interface ImageRef {
  readonly image: string;
  /** name is the last path segment, e.g. "gloo-ee". */
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** parseImage splits an image reference; a registry port ("host:5000/x") is not a tag. */
export function parseImage(image: string): ImageRef {
  const [withoutDigest, digest] = image.split('@', 2) as [string, string | undefined];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const tag = colon > slash ? withoutDigest.slice(colon + 1) : undefined;
  const path = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  return { image, name: path.slice(path.lastIndexOf('/') + 1), ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** InstalledVersion is what detection found. */
export interface InstalledVersion {
  /** version is the product version the plan starts from; undefined when nothing told it. */
  readonly version?: VendorVersion;
  /** source says where `version` came from. */
  readonly source: string;
  readonly release?: HelmRelease;
  /** image is the version-carrying container's image, when found. */
  readonly image?: string;
  /** ossVersion is the open-source version of an Enterprise build (Gloo's annotation). */
  readonly ossVersion?: string;
  readonly enterprise: boolean;
  /** drift says how the release and the image disagree (a `kubectl set image`, a half-done rollout). */
  readonly drift?: string;
}

/** releaseVersion reads the product version from a release as the profile says (NGINX chart 0.7.0 is mesh 1.7.0). */
export function releaseVersion(profile: ProductProfile, release: HelmRelease): VendorVersion | undefined {
  const field = profile.versionDetection.chartVersionField;
  const text = field === 'appVersion' && release.chart.appVersion ? release.chart.appVersion : release.chart.version;
  return parseVersion(text);
}

/** imageMatches reports whether an image name is one of the profile's product images ("nginx-mesh-*" matches a prefix). */
export function imageMatches(patterns: readonly string[], name: string): boolean {
  return patterns.some((pattern) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern));
}

interface PodTemplate {
  spec?: {
    template?: { metadata?: { annotations?: Record<string, string> }; spec?: { containers?: Array<{ name: string; image?: string }> } };
  };
}

/** detectInstalled combines the release and the image into the installed version. */
export function detectInstalled(
  profile: ProductProfile,
  releases: readonly HelmRelease[],
  deployments: readonly KubeObject[],
): InstalledVersion {
  const detection = profile.versionDetection;
  const release = currentRelease(releases);
  const fromRelease = release ? releaseVersion(profile, release) : undefined;
  const workload = deployments.find((d) => d.metadata?.name === detection.imageWorkload.name) as (KubeObject & PodTemplate) | undefined;
  const container = workload?.spec?.template?.spec?.containers?.find((c) => c.name === detection.imageWorkload.container);
  const image = container?.image ? parseImage(container.image) : undefined;
  const fromImage = image?.tag ? parseVersion(image.tag) : undefined;
  const ossVersion = detection.ossVersionAnnotation
    ? workload?.spec?.template?.metadata?.annotations?.[detection.ossVersionAnnotation]
    : undefined;
  const enterprise =
    (release !== undefined && release.chart.name !== profile.chart.name) ||
    (image !== undefined && /-ee$|^enterprise-/.test(image.name)) ||
    fromImage?.flavour === 'ee';
  const releaseText = release
    ? `Helm release ${release.namespace}/${release.name} (chart ${release.chart.name} ${release.chart.version}, revision ${release.revision})`
    : undefined;
  const base = {
    enterprise,
    ...(release ? { release } : {}),
    ...(container?.image ? { image: container.image } : {}),
    ...(ossVersion ? { ossVersion } : {}),
  };
  let drift: string | undefined;
  if (fromRelease && fromImage && compareVersions(fromRelease, fromImage) !== 0) {
    drift = `the release says ${fromRelease.original} but ${detection.imageWorkload.name} runs ${image?.image ?? ''}`;
  }
  if (fromRelease) return { ...base, version: fromRelease, source: releaseText ?? '', ...(drift ? { drift } : {}) };
  if (fromImage)
    return { ...base, version: fromImage, source: `image of deployment/${detection.imageWorkload.name} (${container?.image ?? ''})` };
  const why =
    image?.digest && !image.tag
      ? `image ${container?.image ?? ''} is pinned by digest and no Helm release was found`
      : 'no Helm release and no tagged control-plane image found';
  return { ...base, source: why };
}
