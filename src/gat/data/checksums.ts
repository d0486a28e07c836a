import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads a `SHA256SUMS` file (the `sha256sum` format: `<hex>  <name>` per line).
 * Returns null when the file does not exist.
 */
export async function readSha256Sums(file: string): Promise<Map<string, string> | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const sums = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([0-9a-f]{64})\s+\*?(.+)$/i.exec(line.trim());
    if (m) sums.set(m[2].trim(), m[1].toLowerCase());
  }
  return sums;
}
