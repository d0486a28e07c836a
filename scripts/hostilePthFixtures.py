"""Writes the memory-bomb .pth fixtures of test/unit/pthBudget.test.ts as an attacker makes them:
with real PyTorch (Debian's python3-torch), then re-zipped with deflate so a huge storage packs
into a small file (torch.save itself stores entries uncompressed).

    /usr/bin/python3 scripts/hostilePthFixtures.py     # writes test/fixtures/pth/bombs/

(A folder of their own: the pth fuzz target's seeds are the files of test/fixtures/pth, and a seed
is unzipped whole.)

- hostile_shared_storage.pth (~0.5 MB): one 512 MiB float16 storage viewed by three full-size
  tensors; read naively, it takes 512 MiB to inflate and 3 GiB of float32 copies.
- hostile_sliver_view.pth (~70 KB): a 64 MiB float16 storage of which the state_dict keeps a
  10-element view; torch.save writes the whole storage, which would be inflated for 40 bytes.

The storages are zeros with one random value every 64 Ki elements, so deflate packs them about
1,000 to 1 (just under the ratio at which a single entry is refused outright).
"""
import os
import sys
import tempfile
import zipfile

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'pth', 'bombs')


def nearly_zeros(numel, seed):
    s = torch.zeros(numel, dtype=torch.float16)
    g = torch.Generator().manual_seed(seed)
    s[::65536] = torch.rand((numel + 65535) // 65536, generator=g).half()
    return s


def save_deflated(obj, name):
    """torch.save, then every entry rewritten with deflate (level 9), in the same order."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, 'raw.pth')
        torch.save(obj, raw)
        target = os.path.join(OUT, name)
        with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(target, 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
            for info in zin.infolist():
                zout.writestr(info.filename, zin.read(info.filename))
    print(f'{name}: {os.path.getsize(target)} bytes', file=sys.stderr)


def main():
    os.makedirs(OUT, exist_ok=True)
    side = 2 ** 14
    s = nearly_zeros(side * side, 0)  # 2^28 float16 elements: 512 MiB
    save_deflated({
        'gat_net.0.linear_proj.weight': s.view(side, side),
        'gat_net.0.scoring_fn_target': s.view(1, side, side),
        'gat_net.0.scoring_fn_source': s.view(1, side, side),
    }, 'hostile_shared_storage.pth')
    big = nearly_zeros(2 ** 25, 1)  # 64 MiB
    save_deflated({'gat_net.0.bias': big[:10]}, 'hostile_sliver_view.pth')


if __name__ == '__main__':
    main()
