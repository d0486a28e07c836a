"""Writes the .pth fixtures of test/unit/pthImport.test.ts with real PyTorch (Debian's python3-torch).

    /usr/bin/python3 scripts/pthFixtures.py     # rewrites test/fixtures/pth/

The model is pytorch-GAT's GAT (implementation 3) re-declared here with the original's module and
parameter names, so its state_dict is what the original's training script saves. Cora is
assembled from the bundled Planetoid files as PyG and pytorch-GAT do (test rows placed by the test
index, rows normalised to sum 1, both edge directions, one self-loop per node), and the eval-mode
outputs PyTorch computes are saved next to the model, for the importer's test to compare against.
"""
import os
import pickle
import sys

import numpy as np
import scipy.sparse as sp
import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, 'data', 'planetoid')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'pth')


# ── Cora, as the original feeds it to the model ──
def load_cora():
    ld = lambda n: pickle.load(open(os.path.join(DATA, f'ind.cora.{n}'), 'rb'), encoding='latin1')
    allx, tx, graph = ld('allx'), ld('tx'), ld('graph')
    test_index = [int(line) for line in open(os.path.join(DATA, 'ind.cora.test.index'))]
    x = sp.vstack((allx, tx)).tolil()
    x[test_index, :] = x[sorted(test_index), :]
    x = sp.csr_matrix(x, dtype=np.float64)
    sums = np.asarray(x.sum(1)).ravel()
    x = sp.diags(np.where(sums > 0, 1.0 / np.where(sums > 0, sums, 1), 0.0)) @ x
    n = x.shape[0]
    edges = {(u, v) for u, vs in graph.items() for v in vs if u != v and u < n and v < n}
    edges |= {(v, u) for u, v in edges}
    edges |= {(i, i) for i in range(n)}
    src, trg = zip(*sorted(edges))
    ally, ty = ld('ally'), ld('ty')
    y = np.vstack((ally, ty))
    y[test_index, :] = y[sorted(test_index), :]
    return torch.tensor(x.toarray(), dtype=torch.float32), torch.tensor([src, trg], dtype=torch.long), torch.tensor(y.argmax(1), dtype=torch.long)


# ── pytorch-GAT's layer (implementation 3), with its names: linear_proj, scoring_fn_*, bias, skip_proj ──
class GATLayer(nn.Module):
    def __init__(self, fin, fout, heads, concat, activation, skip):
        super().__init__()
        self.heads, self.fout, self.concat, self.activation = heads, fout, concat, activation
        self.linear_proj = nn.Linear(fin, heads * fout, bias=False)
        self.scoring_fn_target = nn.Parameter(torch.Tensor(1, heads, fout))
        self.scoring_fn_source = nn.Parameter(torch.Tensor(1, heads, fout))
        self.bias = nn.Parameter(torch.Tensor(heads * fout if concat else fout))
        self.skip_proj = nn.Linear(fin, heads * fout, bias=False) if skip else None
        for p in (self.linear_proj.weight, self.scoring_fn_target, self.scoring_fn_source):
            nn.init.xavier_uniform_(p)
        nn.init.uniform_(self.bias, -0.1, 0.1)  # the original zeroes it; non-zero tests that it is read

    def forward(self, x, edge_index):
        n = x.shape[0]
        x = nn.functional.dropout(x, 0.6, self.training)                          # the original's dropout on the input…
        proj = self.linear_proj(x).view(-1, self.heads, self.fout)                 # (N, NH, F)
        s_src = (proj * self.scoring_fn_source).sum(dim=-1)                       # (N, NH)
        s_trg = (proj * self.scoring_fn_target).sum(dim=-1)
        src, trg = edge_index
        e = nn.functional.leaky_relu(s_src[src] + s_trg[trg], 0.2)                # (E, NH)
        e = (e - e.max()).exp()
        denom = torch.zeros(n, self.heads).index_add_(0, trg, e)
        att = e / (denom[trg] + 1e-16)                                            # (E, NH)
        att = nn.functional.dropout(att, 0.6, self.training)                      # …and on the attention
        out = torch.zeros(n, self.heads, self.fout).index_add_(0, trg, proj[src] * att.unsqueeze(-1))
        if self.skip_proj is not None:
            out = out + (x.unsqueeze(1) if self.fout == x.shape[-1] else self.skip_proj(x).view(-1, self.heads, self.fout))
        out = out.reshape(n, -1) if self.concat else out.mean(dim=1)
        out = out + self.bias
        return out if self.activation is None else self.activation(out)


class GAT(nn.Module):
    def __init__(self, features, heads, skip=False):
        super().__init__()
        heads = [1] + heads
        self.gat_net = nn.Sequential(*[
            GATLayer(features[i] * heads[i], features[i + 1], heads[i + 1], i < len(features) - 2, nn.ELU() if i < len(features) - 2 else None, skip)
            for i in range(len(features) - 1)
        ])

    def forward(self, x, edge_index):
        for layer in self.gat_net:
            x = layer(x, edge_index)
        return x


def train_briefly(model, x, edge_index, labels, epochs):
    """Trains as the original trains Cora (Adam, lr 5e-3, weight decay 5e-4, the 140 training nodes); the eval-mode logits."""
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-3, weight_decay=5e-4)
    for _ in range(epochs):
        model.train()
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x, edge_index)[:140], labels[:140]).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        return model(x, edge_index)


class Pwn:
    """What a hostile file holds: unpickling it would run a shell command."""
    def __reduce__(self):
        return (os.system, ('echo pwned > /tmp/gat-pth-pwned',))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(7)
    x, edge_index, labels = load_cora()
    model = GAT([x.shape[1], 8, 7], [8, 1])
    logits = train_briefly(model, x, edge_index, labels, 100)
    test_acc = (logits[1708:2708].argmax(1) == labels[1708:2708]).float().mean().item()
    # the original's checkpoint dict (utils.get_training_state)
    torch.save({
        'commit_hash': 'fixture', 'dataset_name': 'CORA', 'num_of_epochs': 100, 'test_perf': test_acc,
        'num_of_layers': 2, 'num_heads_per_layer': [8, 1], 'num_features_per_layer': [x.shape[1], 8, 7],
        'add_skip_connection': False, 'bias': True, 'dropout': 0.6, 'layer_type': 'LayerType.IMP3',
        'state_dict': model.state_dict(),
    }, os.path.join(OUT, 'gat_cora_checkpoint.pth'))
    np.save(os.path.join(OUT, 'gat_cora_outputs.npy'), logits.numpy().astype(np.float32))
    # The same Cora weights under PyTorch Geometric's GATConv names (PyG itself is not installable on
    # these machines: the names follow torch_geometric.nn.GATConv's state_dict, version 2.5: lin.weight)
    sd = model.state_dict()
    def pyg(layer, prefix, shared_lin_names=False):
        out = {f'{prefix}.att_src': sd[f'gat_net.{layer}.scoring_fn_source'], f'{prefix}.att_dst': sd[f'gat_net.{layer}.scoring_fn_target'], f'{prefix}.bias': sd[f'gat_net.{layer}.bias']}
        w = sd[f'gat_net.{layer}.linear_proj.weight']
        if shared_lin_names:  # PyG 2.3: lin_src and lin_dst are one module, saved under both names
            out[f'{prefix}.lin_src.weight'] = w
            out[f'{prefix}.lin_dst.weight'] = w
        else:
            out[f'{prefix}.lin.weight'] = w
        return out
    torch.save({**pyg(0, 'conv1'), **pyg(1, 'conv2')}, os.path.join(OUT, 'pyg_cora_state_dict.pth'))
    torch.save({**pyg(0, 'convs.0', True), **pyg(1, 'convs.1', True)}, os.path.join(OUT, 'pyg23_cora_state_dict.pth'))
    edge = {**pyg(0, 'conv1'), **pyg(1, 'conv2')}
    edge['conv1.lin_edge.weight'] = torch.zeros(64, 3)
    edge['conv1.att_edge'] = torch.zeros(1, 8, 8)
    torch.save(edge, os.path.join(OUT, 'pyg_edge_features.pth'))
    # small models for the formats: a bare state_dict in float64 with one tensor stored transposed
    # (strides, not a copy), the same in float16, the PPI shape with skip connections
    torch.manual_seed(9)
    tiny = GAT([20, 4, 3], [2, 1]).eval()
    torch.save(tiny.state_dict(), os.path.join(OUT, 'tiny_state_dict_f32.pth'))
    sd = {k: v.double() for k, v in tiny.state_dict().items()}
    w = sd['gat_net.0.linear_proj.weight']
    sd['gat_net.0.linear_proj.weight'] = w.t().contiguous().t()
    assert not sd['gat_net.0.linear_proj.weight'].is_contiguous()
    torch.save(sd, os.path.join(OUT, 'tiny_state_dict_f64_strided.pth'))
    torch.save({k: v.half() for k, v in tiny.state_dict().items()}, os.path.join(OUT, 'tiny_state_dict_f16.pth'))
    # PPI's shape, smaller: 3 layers with skip connections (50 → 2×8 → 2×16 → 3×121). The middle
    # layer's output per head (16) equals its input (2×8), so it adds its input as is and, as in the
    # original, its skip_proj is saved but unused.
    torch.manual_seed(8)
    torch.save(GAT([50, 8, 16, 121], [2, 2, 3], skip=True).state_dict(), os.path.join(OUT, 'ppi_shape_skip.pth'))
    # hostile: a checkpoint whose pickle calls os.system on load
    torch.save({'state_dict': tiny.state_dict(), 'note': Pwn()}, os.path.join(OUT, 'hostile_os_system.pth'))
    # unsupported: an int64 tensor (a PyG buffer, say) next to the weights
    sd = dict(tiny.state_dict())
    sd['num_batches_tracked'] = torch.tensor(3, dtype=torch.long)
    torch.save(sd, os.path.join(OUT, 'int64_buffer.pth'))
    print(f'wrote {OUT} with torch {torch.__version__}; the Cora model tests at {test_acc:.4f}', file=sys.stderr)


if __name__ == '__main__':
    main()
