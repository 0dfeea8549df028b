"""Reference vectors for a stacked GRU (+ linear head) computed by PyTorch (Debian python3-torch): the GRU sibling of
../shared/peers/make_lstm_vectors.py, with the same JSON shape minus c0/c_n, and "cell": "gru" at the top so the LSTM
parity test skips the file.
Layout follows torch.nn.GRU: per layer weight_ih [3H, I], weight_hh [3H, H], bias_ih [3H], bias_hh [3H], gate order
r, z, n with n = tanh(W_in x + b_in + r * (W_hn h + b_hn)); batch_first tensors x [B, T, I]; head: Linear(H, O) on the
last time step. Loss = sum(y_seq * gy) + sum(head_out * go), so every gradient is well defined and non-trivial.
Usage: /usr/bin/python3 tools/make_gru_vectors.py OUT.json SEED case...   where case = name:T:B:I:H:L:O[:state]
The committed file: tools/make_gru_vectors.py tests/LstmService.Kernels.Tests/Reference/gru_torch_vectors.json 1500 \
  tiny:3:1:1:2:1:1 single:8:1:1:16:1:1 batch:10:4:3:8:1:2 stacked:6:2:2:8:2:3 state:5:3:4:6:2:1:state \
  wide:4:2:17:33:1:5 deep:5:3:9:20:3:2:state"""
import json, sys, torch
torch.set_default_dtype(torch.float64)  # reference in double, compared in float32 with tolerance

def case(name, T, B, I, H, L, O, with_state, seed):
    g = torch.Generator().manual_seed(seed)
    gru = torch.nn.GRU(I, H, L, batch_first=True)
    head = torch.nn.Linear(H, O)
    with torch.no_grad():
        for p in list(gru.parameters()) + list(head.parameters()):
            p.copy_(torch.rand(p.shape, generator=g) * 1.2 - 0.6)
    x = (torch.randn(B, T, I, generator=g)).requires_grad_(True)
    h0 = (torch.randn(L, B, H, generator=g) * 0.5 if with_state else torch.zeros(L, B, H)).requires_grad_(True)
    y, hn = gru(x, h0)
    out = head(y[:, -1])
    gy = torch.randn(B, T, H, generator=g); go = torch.randn(B, O, generator=g)
    loss = (y * gy).sum() + (out * go).sum()
    loss.backward()
    flat = lambda t: [round(v, 10) for v in t.detach().reshape(-1).tolist()]
    layers = []
    for l in range(L):
        layer = {}
        for n in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]:
            p = getattr(gru, f"{n}_l{l}")
            layer[n] = {"shape": list(p.shape), "data": flat(p), "grad": flat(p.grad)}
        layers.append(layer)
    return {
        "name": name, "T": T, "B": B, "I": I, "H": H, "L": L, "O": O,
        "layers": layers,
        "head": {"weight": {"shape": [O, H], "data": flat(head.weight), "grad": flat(head.weight.grad)},
                 "bias": {"shape": [O], "data": flat(head.bias), "grad": flat(head.bias.grad)}},
        "x": {"shape": [B, T, I], "data": flat(x), "grad": flat(x.grad)},
        "h0": {"shape": [L, B, H], "data": flat(h0), "grad": flat(h0.grad)},
        "y": {"shape": [B, T, H], "data": flat(y)},
        "h_n": {"shape": [L, B, H], "data": flat(hn)},
        "head_out": {"shape": [B, O], "data": flat(out)},
        "grad_y": {"shape": [B, T, H], "data": flat(gy)},
        "grad_head_out": {"shape": [B, O], "data": flat(go)},
    }

out, seed = sys.argv[1], int(sys.argv[2])
cases = []
for i, spec in enumerate(sys.argv[3:]):
    parts = spec.split(":")
    name = parts[0]; T, B, I, H, L, O = map(int, parts[1:7]); st = len(parts) > 7 and parts[7] == "state"
    cases.append(case(name, T, B, I, H, L, O, st, seed + i))
doc = {"cell": "gru",
       "generator": f"torch {torch.__version__} nn.GRU + nn.Linear, float64",
       "layout": "torch.nn.GRU batch_first; gates r,z,n (b_hn inside the reset product); head on last step; loss = sum(y*grad_y) + sum(head_out*grad_head_out)",
       "cases": cases}
json.dump(doc, open(out, "w"))
print(out, len(cases), "cases")
