/** IPv4 addresses as 32-bit numbers, for the allocators and address pools of a single-stack cluster. */

export function ipv4ToNumber(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
}

export function numberToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** A CIDR's network address (as a number) and how many addresses it spans. */
export function parseCidr(cidr: string): { network: number; prefix: number; size: number } {
  const [address, bits] = cidr.split('/');
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return { network: ((ipv4ToNumber(address) ?? 0) & mask) >>> 0, prefix, size: 2 ** (32 - prefix) };
}
