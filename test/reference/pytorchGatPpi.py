#!/usr/bin/env python3
"""PyTorch reference for the PPI benchmark: pytorch-GAT's PPI recipe, timed on a PPI-format folder.

The model is pytorch-GAT's GAT "implementation 3" (models/definitions/GAT.py): edge-list attention
with index_select and scatter_add_, 3 layers, heads 4/4/6, 256 features per hidden head, skip
connections (skip_proj), ELU between layers, mean over heads in the last, BCEWithLogitsLoss, Adam
lr 5e-3, batches of 2 graphs merged into one disconnected graph. The graphs are read from the
folder's node-link JSON, as the original does (nx.DiGraph of the undirected graph: both
directions, self-loops once). Nothing here is shared with GAT Explorer: it is the peer we time.

Usage: /usr/bin/python3 test/reference/pytorchGatPpi.py --data DIR [--epochs K] [--threads T] [--json]
Prints one JSON object as the last line: ms per training epoch, ms per epoch with validation,
threads, torch and BLAS versions, last micro-F1s.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn

HEADS = [4, 4, 6]
FEATURES = [256, 256, 121]  # per head; the last layer's is the number of labels
LR = 5e-3
BATCH_GRAPHS = 2


class GATLayer(nn.Module):
    """One layer as pytorch-GAT's implementation 3 computes it (edge list, scatter_add_)."""

    def __init__(self, fin, fout, heads, concat, activation):
        super().__init__()
        self.heads, self.fout, self.concat, self.activation = heads, fout, concat, activation
        self.linear_proj = nn.Linear(fin, heads * fout, bias=False)
        self.scoring_fn_target = nn.Parameter(torch.empty(1, heads, fout))
        self.scoring_fn_source = nn.Parameter(torch.empty(1, heads, fout))
        self.bias = nn.Parameter(torch.zeros(heads * fout if concat else fout))
        self.skip_proj = nn.Linear(fin, heads * fout, bias=False)
        self.leaky_relu = nn.LeakyReLU(0.2)
        for p in (self.linear_proj.weight, self.scoring_fn_target, self.scoring_fn_source, self.skip_proj.weight):
            nn.init.xavier_uniform_(p)

    def forward(self, x, src, trg):
        n = x.shape[0]
        proj = self.linear_proj(x).view(-1, self.heads, self.fout)  # (N, NH, FOUT)
        s_src = (proj * self.scoring_fn_source).sum(dim=-1)  # (N, NH)
        s_trg = (proj * self.scoring_fn_target).sum(dim=-1)  # (N, NH)
        scores = self.leaky_relu(s_src.index_select(0, src) + s_trg.index_select(0, trg))  # (E, NH)
        scores = (scores - scores.max()).exp()
        denom = torch.zeros(n, self.heads, dtype=x.dtype).scatter_add_(0, trg.unsqueeze(-1).expand_as(scores), scores)  # (N, NH)
        att = scores / (denom.index_select(0, trg) + 1e-16)  # (E, NH)
        msgs = proj.index_select(0, src) * att.unsqueeze(-1)  # (E, NH, FOUT)
        out = torch.zeros(n, self.heads, self.fout, dtype=x.dtype).scatter_add_(0, trg.view(-1, 1, 1).expand_as(msgs), msgs)  # (N, NH, FOUT)
        out = out + self.skip_proj(x).view(-1, self.heads, self.fout)
        out = out.reshape(n, -1) if self.concat else out.mean(dim=1)
        out = out + self.bias
        return self.activation(out) if self.activation is not None else out


class GAT(nn.Module):
    def __init__(self, features, labels):
        super().__init__()
        fin = features
        layers = []
        for i, (h, f) in enumerate(zip(HEADS, FEATURES[:-1] + [labels])):
            last = i == len(HEADS) - 1
            layers.append(GATLayer(fin, f, h, concat=not last, activation=None if last else nn.ELU()))
            fin = h * f
        self.layers = nn.ModuleList(layers)

    def forward(self, x, src, trg):
        for layer in self.layers:
            x = layer(x, src, trg)
        return x


def load_split(folder, split):
    """Every graph of a split: (features, labels, src, trg) with node ids local to the graph."""
    feats = np.load(os.path.join(folder, f'{split}_feats.npy')).astype(np.float32)
    labels = np.load(os.path.join(folder, f'{split}_labels.npy')).astype(np.float32)
    graph_id = np.load(os.path.join(folder, f'{split}_graph_id.npy'))
    with open(os.path.join(folder, f'{split}_graph.json')) as f:
        links = json.load(f)['links']
    s = np.fromiter((l['source'] for l in links), dtype=np.int64, count=len(links))
    t = np.fromiter((l['target'] for l in links), dtype=np.int64, count=len(links))
    loops = s == t
    src = np.concatenate([s, t[~loops]])  # both directions, self-loops once (nx.DiGraph of a Graph)
    trg = np.concatenate([t, s[~loops]])
    graphs = []
    for g in np.unique(graph_id):
        nodes = np.nonzero(graph_id == g)[0]
        lo, hi = nodes[0], nodes[-1] + 1
        keep = (src >= lo) & (src < hi)
        graphs.append((torch.from_numpy(feats[lo:hi]), torch.from_numpy(labels[lo:hi]), torch.from_numpy(src[keep] - lo), torch.from_numpy(trg[keep] - lo)))
    return graphs


def merge(graphs):
    offset, xs, ys, ss, ts = 0, [], [], [], []
    for x, y, s, t in graphs:
        xs.append(x), ys.append(y), ss.append(s + offset), ts.append(t + offset)
        offset += x.shape[0]
    return torch.cat(xs), torch.cat(ys), torch.cat(ss), torch.cat(ts)


def micro_f1(logits, labels):
    pred = logits > 0
    truth = labels > 0.5
    tp = (pred & truth).sum().item()
    fp = (pred & ~truth).sum().item()
    fn = (~pred & truth).sum().item()
    return 2 * tp / max(1, 2 * tp + fp + fn)


def blas_info():
    config = torch.__config__.show()
    line = next((l.strip() for l in config.splitlines() if 'BLAS_INFO' in l), '')
    blas = next((part.split('=')[1] for part in line.replace(',', ' ').split() if part.startswith('BLAS_INFO=')), 'unknown')
    return {'blas': blas, 'OPENBLAS_CORETYPE': os.environ.get('OPENBLAS_CORETYPE'), 'OPENBLAS_L2_SIZE': os.environ.get('OPENBLAS_L2_SIZE')}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True)
    ap.add_argument('--epochs', type=int, default=2)
    ap.add_argument('--threads', type=int, default=os.cpu_count())
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--json', action='store_true')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    train, val = load_split(a.data, 'train'), load_split(a.data, 'valid')
    model = GAT(train[0][0].shape[1], train[0][1].shape[1])
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.BCEWithLogitsLoss()
    epochs = []
    for epoch in range(a.epochs):
        t0 = time.perf_counter()
        model.train()
        order = rng.permutation(len(train))
        for b in range(0, len(order), BATCH_GRAPHS):
            x, y, s, t = merge([train[i] for i in order[b:b + BATCH_GRAPHS]])
            opt.zero_grad()
            logits = model(x, s, t)
            loss = loss_fn(logits, y)
            loss.backward()
            opt.step()
        train_f1 = micro_f1(logits.detach(), y)
        t1 = time.perf_counter()
        model.eval()
        with torch.no_grad():
            x, y, s, t = merge(val)
            val_logits = model(x, s, t)
            val_f1 = micro_f1(val_logits, y)
        t2 = time.perf_counter()
        epochs.append({'trainMs': 1000 * (t1 - t0), 'valMs': 1000 * (t2 - t1), 'loss': loss.item(), 'trainF1': train_f1, 'valF1': val_f1})
        if not a.json:
            print(f'epoch {epoch + 1}: training {t1 - t0:.1f} s, validation {t2 - t1:.1f} s, loss {loss.item():.4f}, micro-F1 val {val_f1:.3f}')
    result = {
        'peer': 'pytorch-GAT PPI recipe (implementation 3: index_select + scatter_add_)',
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        **blas_info(),
        'epochs': a.epochs,
        'msPerTrainingEpoch': round(sum(e['trainMs'] for e in epochs) / a.epochs),
        'msPerEpochWithValidation': round(sum(e['trainMs'] + e['valMs'] for e in epochs) / a.epochs),
        'lastLoss': round(epochs[-1]['loss'], 4),
        'lastValMicroF1': round(epochs[-1]['valF1'], 4),
    }
    print(json.dumps(result))


if __name__ == '__main__':
    main()
