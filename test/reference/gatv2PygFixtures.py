"""Writes the GATv2 .pth fixtures of test/unit/pthImportGatV2.test.ts with real PyTorch (python3-torch).

    /usr/bin/python3 test/reference/gatv2PygFixtures.py     # adds to test/fixtures/pth/

PyG itself is not installable on these machines, so GATv2Conv (torch_geometric 2.5) is re-declared
here from its published forward, with its module and parameter names: lin_l and lin_r (Linear with
bias; with share_weights, lin_r *is* lin_l and the state_dict lists both names), att [1, H, C], bias.
Self-loops are appended after the edges, as PyG's add_self_loops does. The stack is PyG's
GAT(v2=True): convs.0, convs.1 with an ELU between. The eval-mode logits PyTorch computes are saved
next to each model for the importer's test to compare against.
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'scripts'))
from pthFixtures import OUT, load_cora, train_briefly  # noqa: E402  the same Cora and training as the GAT fixtures


class GATv2Conv(nn.Module):
    """e_ij = attᵀ LeakyReLU(x_l[j] + x_r[i]),  α = softmax over i's incoming edges,  out_i = Σ_j α_ij x_l[j] (+ bias)."""

    def __init__(self, fin, fout, heads, concat, share_weights=False):
        super().__init__()
        self.heads, self.fout, self.concat = heads, fout, concat
        self.lin_l = nn.Linear(fin, heads * fout, bias=True)
        self.lin_r = self.lin_l if share_weights else nn.Linear(fin, heads * fout, bias=True)
        self.att = nn.Parameter(torch.empty(1, heads, fout))
        self.bias = nn.Parameter(torch.empty(heads * fout if concat else fout))
        nn.init.xavier_uniform_(self.att)
        nn.init.uniform_(self.bias, -0.1, 0.1)

    def forward(self, x, edge_index):
        n = x.shape[0]
        src, trg = edge_index
        x_l = self.lin_l(x).view(-1, self.heads, self.fout)                    # (N, H, C) the source side
        x_r = self.lin_r(x).view(-1, self.heads, self.fout)                    # (N, H, C) the target side
        z = nn.functional.leaky_relu(x_l[src] + x_r[trg], 0.2)                 # (E, H, C)
        e = (z * self.att).sum(dim=-1)                                         # (E, H)
        e = (e - e.max()).exp()
        denom = torch.zeros(n, self.heads).index_add_(0, trg, e)
        alpha = e / denom[trg]
        alpha = nn.functional.dropout(alpha, 0.6, self.training)
        out = torch.zeros(n, self.heads, self.fout).index_add_(0, trg, x_l[src] * alpha.unsqueeze(-1))
        out = out.reshape(n, -1) if self.concat else out.mean(dim=1)
        return out + self.bias


class GATv2(nn.Module):
    """PyG's GAT(in, 8, num_layers=2, out_channels=7, v2=True, heads=8) as its state_dict names it."""

    def __init__(self, fin, classes, share_weights):
        super().__init__()
        self.convs = nn.ModuleList([GATv2Conv(fin, 8, 8, True, share_weights), GATv2Conv(64, classes, 1, False, share_weights)])

    def forward(self, x, edge_index):
        x = nn.functional.dropout(x, 0.6, self.training)
        x = nn.functional.elu(self.convs[0](x, edge_index))
        x = nn.functional.dropout(x, 0.6, self.training)
        return self.convs[1](x, edge_index)


def main():
    x, edge_index, labels = load_cora()
    # PyG's order: the graph's edges without self-loops, then one self-loop per node appended
    keep = edge_index[0] != edge_index[1]
    n = x.shape[0]
    loops = torch.arange(n)
    edge_index = torch.cat([edge_index[:, keep], torch.stack([loops, loops])], dim=1)
    for share, name in [(False, 'pyg_gatv2_cora'), (True, 'pyg_gatv2_shared_cora')]:
        torch.manual_seed(11)
        model = GATv2(x.shape[1], 7, share)
        logits = train_briefly(model, x, edge_index, labels, 60)
        sd = model.state_dict()
        assert share == (sd['convs.0.lin_r.weight'].data_ptr() == sd['convs.0.lin_l.weight'].data_ptr())
        torch.save(sd, os.path.join(OUT, f'{name}_state_dict.pth'))
        np.save(os.path.join(OUT, f'{name}_outputs.npy'), logits.numpy().astype(np.float32))
        acc = (logits[1708:2708].argmax(1) == labels[1708:2708]).float().mean().item()
        print(f'{name}: test accuracy {acc:.4f}; keys {list(sd.keys())}', file=sys.stderr)


if __name__ == '__main__':
    main()
