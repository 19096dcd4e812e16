/**
 * The single-file build (tools/bundle.ts → dist/src/kubemu.js) compiles every module into one
 * script, which starts in about half the time the separate files take to load. What the server
 * otherwise finds on disk at run time, the bundle provides here before anything else runs.
 */
export interface BundleManifest {
  /** Loaders of the kind modules, by file suffix (".resource", ".reconciler"), in scan order. */
  kinds: Record<string, Array<() => Record<string, unknown>>>;
  /** The writer thread's script, which runs from its own file. */
  writerScript: string;
}

export const BUNDLE_MANIFEST_KEY = Symbol.for('kubemu.bundle');

export function bundleManifest(): BundleManifest | undefined {
  return (globalThis as { [BUNDLE_MANIFEST_KEY]?: BundleManifest })[BUNDLE_MANIFEST_KEY];
}
