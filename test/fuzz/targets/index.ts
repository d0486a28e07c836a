/** Every fuzz target: one per parser of a file (or address) a user can hand the product. */
import type { FuzzTarget } from '../target';
import { faithfulnessTarget } from './faithfulness';
import { layoutTarget } from './layout';
import { nodeLinkTarget } from './nodeLink';
import { npyTarget } from './npy';
import { pickleTarget } from './pickle';
import { planetoidTarget } from './planetoid';
import { pthTarget } from './pth';
import { recordUriTarget } from './recordUri';
import { runRecordTarget } from './runRecord';
import { safetensorsTarget } from './safetensors';
import { settingsTarget } from './settings';
import { specTarget } from './spec';
import { tfeventsTarget } from './tfevents';
import { userFileTarget } from './userFile';
import { zipTarget } from './zip';

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  pickleTarget,
  planetoidTarget,
  safetensorsTarget,
  tfeventsTarget,
  specTarget,
  settingsTarget,
  recordUriTarget,
  runRecordTarget,
  layoutTarget,
  npyTarget,
  zipTarget,
  nodeLinkTarget,
  pthTarget,
  userFileTarget,
  faithfulnessTarget,
];

export function targetNamed(name: string): FuzzTarget {
  const t = FUZZ_TARGETS.find((x) => x.name === name);
  if (!t) throw new Error(`no fuzz target '${name}' (targets: ${FUZZ_TARGETS.map((x) => x.name).join(', ')})`);
  return t;
}
