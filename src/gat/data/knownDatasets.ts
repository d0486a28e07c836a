/**
 * The Planetoid datasets we know by name: where they come from, their pinned SHA-256
 * checksums (the files PyG and the GAT paper use) and their class names.
 */

/** The eight raw files of a Planetoid dataset, as `ind.<name>.<suffix>`. */
export const PLANETOID_SUFFIXES = ['x', 'tx', 'allx', 'y', 'ty', 'ally', 'graph', 'test.index'] as const;
export type PlanetoidSuffix = (typeof PLANETOID_SUFFIXES)[number];

/** The public home of the raw files (PyG downloads them from here too). */
export const PLANETOID_BASE_URL = 'https://github.com/kimiyoung/planetoid/raw/master/data';

export interface KnownDataset {
  readonly name: string;
  /** Shipped inside the project (data/planetoid), so it works offline. */
  readonly bundled: boolean;
  readonly sha256: Readonly<Record<PlanetoidSuffix, string>>;
  readonly classNames: readonly string[];
  /** What the assembled dataset must be (checked after loading; the published counts). */
  readonly facts: DatasetFacts;
}

export interface DatasetFacts {
  readonly nodes: number;
  readonly features: number;
  readonly classes: number;
  /** Undirected edges without self-loops (each pair once). */
  readonly undirectedEdges: number;
  /** Training, validation and test nodes. */
  readonly split: readonly [number, number, number];
}

export const KNOWN_DATASETS: Readonly<Record<string, KnownDataset>> = {
  cora: {
    name: 'cora',
    bundled: true,
    sha256: {
      x: '23cfa55d91c6f624233f5eb7b6e3f141f1bd2b2ae39608a63cf5d084bb27baab',
      tx: 'b9afbaa4a400df991f6f02ef677e1e44da55ffc04801fd02f9e673987829226a',
      allx: '9419ba2f26f5c35243db64aba110e0f35a04851609e0dc5433450676ca6b8543',
      y: '94465c14eb53e04ca262198dcbb2521ee8af60fb3f3d546cd6ca24a511b0e7d1',
      ty: '41f5ac76596a1699cc33f53084a2419e92961c42bb75f36fc38e616d348532ad',
      ally: '2b998f5cc7fedc86e7f97ca2498f47a1ffc1462c29e2d578b23bf3f62b6e7d71',
      graph: '58f13302f39dde8852dad6fe6d15b89b077b6d7f837626bce671ef80344b383d',
      'test.index': '297ce89af2b51a6a194181c7dbe1796c6a1cf9cd9349a88383b1b1e227867875',
    },
    // Index order checked against the class sizes 351/217/418/818/426/298/180.
    classNames: ['Theory', 'Reinforcement_Learning', 'Genetic_Algorithms', 'Neural_Networks', 'Probabilistic_Methods', 'Case_Based', 'Rule_Learning'],
    facts: { nodes: 2708, features: 1433, classes: 7, undirectedEdges: 5278, split: [140, 500, 1000] },
  },
  citeseer: {
    name: 'citeseer',
    bundled: false,
    sha256: {
      x: 'd20de19150741e555de0ed037195630fc194114ebc7fd72ced62810148aa22f6',
      tx: '539a8906a2da97628d212f2fdd668c109a8b3f0d36574b59e5d3fd5b5303da21',
      allx: '2ac30345d95c9ec933a817ee0bdd6a5f077f8c184a20e696910192d534414668',
      y: '8ba87e515d8e3ee3cf52f6d2c5b86aa73f11ecad825a808455209ec26cd54924',
      ty: '55e5bd1ba1e733a04598753ad1a8d57957f4b8f89e74519f41f4f4938767e4ce',
      ally: 'f704b2d986dde6c2669934de1f3ae5696a6cf9455c0f6b2646a2d135ea0a1c95',
      graph: 'd79a4ef9d3e7169aee8946145f6b7306e35bc79bffad26346cfb94e10e9912a7',
      'test.index': '2af990671580b6b2df5d158d1038f8292e30c9cd821b5453f399659b25b723d4',
    },
    classNames: ['Agents', 'AI', 'DB', 'IR', 'ML', 'HCI'],
    // 3,312 papers plus 15 test ids with no row in tx, padded with zero rows as PyG does
    facts: { nodes: 3327, features: 3703, classes: 6, undirectedEdges: 4552, split: [120, 500, 1000] },
  },
  pubmed: {
    name: 'pubmed',
    bundled: false,
    sha256: {
      x: 'fbe9cb5c47200d1b7769a26e579be3b7130b556831f9d850e77c4c74f2599b33',
      tx: '4eb5f5d0f30f26497eb0ac6ac9719d09c67e284f1ed0385c93f3ef27a671da3d',
      allx: '508e538e2abdccdd54c4d3e9f49d638b4af7107d85845f66ddea5a5152658b7e',
      y: 'e6c807633307a07ed659249006536a147c7999c797f11a2560752990181b41b3',
      ty: 'ee2e0d4819d9fbcc403689c3bf2e49face401b605932f093bc58ab6461130fdd',
      ally: '0c37bbe3b5014ec365e9d393cf4791925e5ed94fb194305d74f064a8d7b50f0e',
      graph: '5b89f0036ca22909471f1e6558eb42fa06e0c730a577bde5b058b40638f81dc9',
      'test.index': 'b101d421688bbaecbd82e8a18f1e282378d6830f3a37666f28ebc47f844341b5',
    },
    // PubMed Diabetes: the three classes of the 19,717 papers
    classNames: ['Diabetes_Mellitus_Experimental', 'Diabetes_Mellitus_Type_1', 'Diabetes_Mellitus_Type_2'],
    facts: { nodes: 19_717, features: 500, classes: 3, undirectedEdges: 44_324, split: [60, 500, 1000] },
  },
};

/** Checks an assembled known dataset against its published counts; returns the first mismatch, if any. */
export function factsMismatch(facts: DatasetFacts, g: { numNodes: number; numFeatures: number; numClasses: number; undirectedEdges: number; split: readonly [number, number, number] }): string | undefined {
  const checks: Array<[string, number, number]> = [
    ['nodes', g.numNodes, facts.nodes],
    ['features', g.numFeatures, facts.features],
    ['classes', g.numClasses, facts.classes],
    ['undirected edges', g.undirectedEdges, facts.undirectedEdges],
    ['training nodes', g.split[0], facts.split[0]],
    ['validation nodes', g.split[1], facts.split[1]],
    ['test nodes', g.split[2], facts.split[2]],
  ];
  const bad = checks.find(([, got, want]) => got !== want);
  return bad ? `${bad[1]} ${bad[0]}, but the published dataset has ${bad[2]}` : undefined;
}

export function planetoidFileName(dataset: string, suffix: PlanetoidSuffix): string {
  return `ind.${dataset}.${suffix}`;
}

/** Dataset names are used in file names: keep them to a safe alphabet. */
export function isValidDatasetName(name: string): boolean {
  return /^[a-z0-9][a-z0-9_-]{0,63}$/i.test(name);
}
