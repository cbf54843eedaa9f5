// postject ships no type declarations; this is the part of its API (dist/api.js) the release uses.
declare module 'postject' {
  /** inject writes resourceData into filename's resource section and flips the sentinel fuse. */
  export function inject(
    filename: string,
    resourceName: string,
    resourceData: Buffer,
    options?: { sentinelFuse?: string; machoSegmentName?: string; overwrite?: boolean },
  ): Promise<void>;
}
