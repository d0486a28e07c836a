/** Every fuzz target: one per parser of a file (or address) a user can hand the product. */
import type { FuzzTarget } from '../target';
import { pickleTarget } from './pickle';
import { planetoidTarget } from './planetoid';

export const FUZZ_TARGETS: readonly FuzzTarget[] = [pickleTarget, planetoidTarget];

export function targetNamed(name: string): FuzzTarget {
  const t = FUZZ_TARGETS.find((x) => x.name === name);
  if (!t) throw new Error(`no fuzz target '${name}' (targets: ${FUZZ_TARGETS.map((x) => x.name).join(', ')})`);
  return t;
}
