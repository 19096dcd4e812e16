/**
 * Container image references as a runtime reports them, and the stable stand-ins for what a
 * registry would answer (digests, sizes), derived from the reference itself.
 */
import { createHash } from 'node:crypto';

/** The image's short name: "nginx" for docker.io/library/nginx:1.27@sha256:... */
export function imageName(image: string | undefined): string {
  const path = (image ?? '').split('@')[0];
  return path.slice(path.lastIndexOf('/') + 1).split(':')[0];
}

/** The reference an image is reported under: registry, repository and tag spelled out. */
export function fullImageName(image: string): string {
  const [name, digest] = image.split('@');
  const lastSlash = name.lastIndexOf('/');
  const hasTag = name.lastIndexOf(':') > lastSlash;
  let ref = hasTag || digest ? name : `${name}:latest`;
  const first = ref.split('/')[0];
  if (!ref.includes('/')) ref = `docker.io/library/${ref}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') ref = `docker.io/${ref}`;
  return digest ? `${ref.split(':')[0]}@${digest}` : ref;
}

/** A stable digest per image name, as a registry would answer the same tag with. */
export function imageID(image: string): string {
  const full = fullImageName(image);
  const repository = full.split('@')[0].replace(/:[^/:]*$/, '');
  return `${repository}@sha256:${createHash('sha256').update(full).digest('hex')}`;
}

/** A plausible, stable size per image (5 to 85 MB), for the Pulled event. */
export function imageSize(image: string): number {
  return 5_000_000 + (createHash('sha256').update(fullImageName(image)).digest().readUInt32BE(0) % 80_000_000);
}

