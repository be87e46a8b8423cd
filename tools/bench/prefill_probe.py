"""Where the time to first token goes: the ops seer's prefill runs for one 980x980 image (4,900
vision tokens) at BAGEL-7B's shape, replayed with the same library calls on random weights and
timed per kernel with torch.profiler, plus each attention backend alone. Prints RESULT lines and
the profiler's tables (a probe for choosing what to speed up; seer-bench gives the figure)."""
import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

HIDDEN, HEADS, KV_HEADS, HEAD_DIM, MLP = 3584, 28, 4, 128, 18944
V_HIDDEN, V_HEADS, V_MLP, V_LAYERS = 1152, 16, 4304, 26
N_IMAGE = 4900
dev = dict(device="cuda", dtype=torch.bfloat16)


def timed(fn, runs=5):
    fn()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    times = []
    for _ in range(runs):
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end))
    return sorted(times)[len(times) // 2]


def vision_layer_weights():
    w = lambda o, i: torch.randn(o, i, **dev) * 0.02
    return dict(q=w(V_HIDDEN, V_HIDDEN), k=w(V_HIDDEN, V_HIDDEN), v=w(V_HIDDEN, V_HIDDEN),
                o=w(V_HIDDEN, V_HIDDEN), fc1=w(V_MLP, V_HIDDEN), fc2=w(V_HIDDEN, V_MLP),
                ln=torch.ones(V_HIDDEN, **dev))


def vision_layer(x, w):
    n = x.size(0)
    h = F.layer_norm(x, (V_HIDDEN,), w["ln"], w["ln"])
    split = lambda t: t.view(n, V_HEADS, -1).transpose(0, 1).unsqueeze(0)
    a = F.scaled_dot_product_attention(split(F.linear(h, w["q"])), split(F.linear(h, w["k"])),
                                       split(F.linear(h, w["v"])))
    x = x + F.linear(a.squeeze(0).transpose(0, 1).reshape(n, -1), w["o"])
    h = F.layer_norm(x, (V_HIDDEN,), w["ln"], w["ln"])
    return x + F.linear(F.gelu(F.linear(h, w["fc1"]), approximate="tanh"), w["fc2"])


def llm_layer_weights():
    w = lambda o, i: torch.randn(o, i, **dev) * 0.02
    kv = KV_HEADS * HEAD_DIM
    return dict(qkv=w(HIDDEN + 2 * kv, HIDDEN), bias=torch.zeros(HIDDEN + 2 * kv, **dev),
                o=w(HIDDEN, HIDDEN), gate_up=w(2 * MLP, HIDDEN), down=w(HIDDEN, MLP),
                norm=torch.ones(HIDDEN, **dev), qk_norm=torch.ones(HEADS + KV_HEADS, HEAD_DIM, **dev))


def llm_layer(x, w, cos, sin, keys, values):
    n = x.size(0)
    qkv = F.linear(F.rms_norm(x, (HIDDEN,), w["norm"], 1e-6), w["qkv"], w["bias"])
    qk = qkv[:, :HIDDEN + KV_HEADS * HEAD_DIM].view(n, HEADS + KV_HEADS, -1)
    qk = F.rms_norm(qk, (HEAD_DIM,), None, 1e-6) * w["qk_norm"]
    half = HEAD_DIM // 2
    qk = qk * cos + torch.cat([-qk[..., half:], qk[..., :half]], -1) * sin
    q, k = qk.split([HEADS, KV_HEADS], 1)
    v = qkv[:, HIDDEN + KV_HEADS * HEAD_DIM:].view(n, KV_HEADS, -1)
    keys[:, :n].copy_(k.transpose(0, 1))
    values[:, :n].copy_(v.transpose(0, 1))
    group = HEADS // KV_HEADS
    kk = keys[:, :n].transpose(0, 1).repeat_interleave(group, 1).transpose(0, 1)
    vv = values[:, :n].transpose(0, 1).repeat_interleave(group, 1).transpose(0, 1)
    a = F.scaled_dot_product_attention(q.transpose(0, 1).unsqueeze(0), kk.unsqueeze(0),
                                       vv.unsqueeze(0))
    x = F.linear(a.squeeze(0).transpose(0, 1).reshape(n, -1), w["o"]).add_(x)
    gate_up = F.linear(F.rms_norm(x, (HIDDEN,), w["norm"], 1e-6), w["gate_up"])
    return F.linear(F.silu(gate_up[:, :MLP]) * gate_up[:, MLP:], w["down"]).add_(x)


def profile(name, fn):
    fn()
    torch.cuda.synchronize()
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CUDA]) as prof:
        fn()
        torch.cuda.synchronize()
    print(f"== {name}: kernels by total CUDA time")
    print(prof.key_averages().table(sort_by="cuda_time_total", row_limit=18, max_name_column_width=70))


def attention_backends(label, shape_q, shape_kv):
    q = torch.randn(*shape_q, **dev)
    k = torch.randn(*shape_kv, **dev)
    v = torch.randn(*shape_kv, **dev)
    gqa = shape_q[1] != shape_kv[1]
    for backend in (SDPBackend.FLASH_ATTENTION, SDPBackend.CUDNN_ATTENTION,
                    SDPBackend.EFFICIENT_ATTENTION):
        try:
            with sdpa_kernel(backend):
                ms = timed(lambda: F.scaled_dot_product_attention(q, k, v, enable_gqa=gqa))
            print(f"RESULT {label}_{backend.name.lower()}_ms {ms:.3f} ms")
        except RuntimeError as error:
            print(f"# {label} {backend.name}: {str(error).splitlines()[0]}")


def main():
    torch.manual_seed(0)
    vision = [vision_layer_weights() for _ in range(V_LAYERS)]
    image = torch.randn(N_IMAGE, V_HIDDEN, **dev)

    def run_vision():
        x = image
        for w in vision:
            x = vision_layer(x, w)
        return x

    print(f"RESULT vision_layers_ms {timed(run_vision):.2f} ms")
    profile("vision tower, 26 layers", run_vision)
    del vision

    n = N_IMAGE + 2
    layers = [llm_layer_weights() for _ in range(28)]
    x0 = torch.randn(n, HIDDEN, **dev)
    angles = torch.rand(n, 1, HEAD_DIM, device="cuda")
    cos, sin = angles.cos().to(torch.bfloat16), angles.sin().to(torch.bfloat16)
    caches = [(torch.zeros(KV_HEADS, 8192, HEAD_DIM, **dev), torch.zeros(KV_HEADS, 8192, HEAD_DIM, **dev))
              for _ in range(28)]

    def run_llm():
        x = x0
        for w, (k, v) in zip(layers, caches):
            x = llm_layer(x, w, cos, sin, k, v)
        return x

    print(f"RESULT llm_prefill_4902_ms {timed(run_llm, 3):.2f} ms")
    profile("language model prefill, 4,902 rows, 28 layers", run_llm)
    flops = 2 * n * 28 * (HIDDEN * (HIDDEN + 2 * KV_HEADS * HEAD_DIM) + HIDDEN * HIDDEN +
                          3 * HIDDEN * MLP)
    print(f"RESULT llm_prefill_matrix_tflop {flops / 1e12:.1f} TFLOP")
    attention_backends("llm_attention", (1, HEADS, n, HEAD_DIM), (1, KV_HEADS, n, HEAD_DIM))
    attention_backends("llm_attention_repeated", (1, HEADS, n, HEAD_DIM), (1, HEADS, n, HEAD_DIM))
    attention_backends("vision_attention", (1, V_HEADS, N_IMAGE, 72), (1, V_HEADS, N_IMAGE, 72))


if __name__ == "__main__":
    main()
