"""How fast cuBLAS alone reads BAGEL-7B's decode weights: one CUDA graph holding only a decoding
step's matrix products at one row (28 x (QKV, O, gate/up, down) + lm_head), bf16, random
weights. The gap between this and seer-bench's graph step is what the small kernels cost.
Prints RESULT lines."""
import statistics

import torch

HIDDEN, LAYERS, HEADS, KV_HEADS, MLP, VOCAB = 3584, 28, 28, 4, 18944, 152064


def main():
    torch.manual_seed(0)
    dev = dict(device="cuda", dtype=torch.bfloat16)
    kv = KV_HEADS * HIDDEN // HEADS
    layers = [(torch.randn(HIDDEN + 2 * kv, HIDDEN, **dev) * 0.02,
               torch.randn(HIDDEN, HIDDEN, **dev) * 0.02,
               torch.randn(2 * MLP, HIDDEN, **dev) * 0.02,
               torch.randn(HIDDEN, MLP, **dev) * 0.02) for _ in range(LAYERS)]
    lm_head = torch.randn(VOCAB, HIDDEN, **dev) * 0.02
    x = torch.randn(1, HIDDEN, **dev)
    weight_bytes = sum(w.numel() * 2 for layer in layers for w in layer) + lm_head.numel() * 2

    def step():
        h = x
        for qkv, o, gate_up, down in layers:
            torch.nn.functional.linear(h, qkv)
            h = torch.nn.functional.linear(h, o)
            g = torch.nn.functional.linear(h, gate_up)
            h = torch.nn.functional.linear(g[:, :MLP], down)
        return torch.nn.functional.linear(h, lm_head)

    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            step()
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        step()
    times = []
    for _ in range(30):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        graph.replay()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / 1e3)
    seconds = statistics.median(times)
    print(f"RESULT probe_matmuls_only_ms {seconds * 1e3:.3f} ms", flush=True)
    print(f"RESULT probe_matmuls_read_bandwidth {weight_bytes / seconds / 1e9:.1f} GB/s",
          flush=True)


if __name__ == "__main__":
    main()
