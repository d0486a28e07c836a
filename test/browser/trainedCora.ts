import type { Analysis } from '../../src/gat/artifacts/analysis';
import type { RunRecord } from '../../src/gat/artifacts/runRecord';
import type { GraphDataset } from '../../src/gat/data/graph';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { panelProvenance } from '../../src/gat/panels/provenance';
import type { Provenance } from '../../src/protocol/provenance';
import { readTrained, trainCora, type TrainOptions, type TrainedRun } from '../helpers/trainedCora';

/** A Cora run trained for the panels to draw, what it wrote, and the header the panels show for it. */
export interface TrainedCora extends TrainedRun {
  readonly run: RunRecord;
  readonly analysis: Analysis;
  readonly cora: GraphDataset;
  readonly provenance: Provenance;
}

/** Cora trained for 30 epochs through the real CLI (the shared fixture), with its record, analysis and panel header. */
export async function trainedCora(backend: 'cpu' | 'wasm', o: TrainOptions = {}): Promise<TrainedCora> {
  const trained = await trainCora(30, backend, o);
  const { run, analysis } = await readTrained(trained);
  const cora = await loadPlanetoid('cora');
  return { ...trained, run, analysis, cora, provenance: panelProvenance(cora, run, trained.out) };
}
