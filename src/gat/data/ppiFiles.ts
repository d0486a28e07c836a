/**
 * The PPI dataset (protein–protein interaction, the GAT paper's inductive benchmark) as
 * pytorch-GAT uses it: where it comes from, its pinned checksum, its files and its known sizes.
 */

/** The archive pytorch-GAT downloads (DGL's copy). `GAT_PPI_URL` overrides it (mirrors, tests). */
export const PPI_URL = 'https://data.dgl.ai/dataset/ppi.zip';
/** SHA-256 of that archive (7,088,822 bytes). */
export const PPI_ZIP_SHA256 = '1f5b2b09ac0f897fa6aa1338c64ab75a5473674cbba89380120bede8cddb2a6a';

/** The split names in the file names, in the order the graphs are stacked. */
export const PPI_SPLITS = ['train', 'valid', 'test'] as const;
export type PpiSplit = (typeof PPI_SPLITS)[number];

export const PPI_PARTS = ['graph.json', 'feats.npy', 'labels.npy', 'graph_id.npy'] as const;
export type PpiPart = (typeof PPI_PARTS)[number];

export function ppiFileName(split: PpiSplit, part: PpiPart): string {
  return `${split}_${part}`;
}

/** The twelve files of a PPI-format folder. */
export const PPI_FILES: readonly string[] = PPI_SPLITS.flatMap((s) => PPI_PARTS.map((p) => ppiFileName(s, p)));

/** What the real PPI holds; checked after loading the dataset named 'ppi'. */
export const PPI_FACTS = {
  graphs: { train: 20, valid: 2, test: 2 },
  nodes: { train: 44_906, valid: 6_514, test: 5_524 },
  features: 50,
  labels: 121,
} as const;

export function isPpiName(name: string): boolean {
  return name.toLowerCase() === 'ppi';
}
