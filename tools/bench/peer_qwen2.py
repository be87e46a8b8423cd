"""The peer for seer-bench: Hugging Face transformers' Qwen2ForCausalLM at BAGEL's LLM shape
(random bf16 weights, SDPA attention, eager, no torch.compile), greedy decoding of a fixed length
through a plain loop of model(input_ids, past_key_values) calls. Prints RESULT lines."""
import argparse
import statistics
import time

import torch
import transformers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--prompt", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    config = transformers.Qwen2Config(
        hidden_size=3584, num_hidden_layers=28, num_attention_heads=28, num_key_value_heads=4,
        intermediate_size=18944, vocab_size=152064, max_position_embeddings=32768,
        rope_theta=1e6, rms_norm_eps=1e-6, tie_word_embeddings=False)
    config._attn_implementation = "sdpa"
    torch.set_default_dtype(torch.bfloat16)
    with torch.device("cuda"):
        model = transformers.Qwen2ForCausalLM(config).eval()
    prompt = torch.arange(1000, 1000 + 37 * args.prompt, 37, device="cuda").unsqueeze(0)

    @torch.inference_mode()
    def generate():
        cache = transformers.DynamicCache()
        out = model(input_ids=prompt, past_key_values=cache, use_cache=True)
        token = out.logits[:, -1].argmax(-1, keepdim=True)
        torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(args.tokens):
            out = model(input_ids=token, past_key_values=cache, use_cache=True)
            token = out.logits[:, -1].argmax(-1, keepdim=True)
            token.item()  # the host reads each token, as a streaming server must
        torch.cuda.synchronize()
        return time.perf_counter() - start

    generate()
    seconds = statistics.median(generate() for _ in range(args.runs))
    print(f"RESULT peer_transformers_{transformers.__version__}_tokens_per_s "
          f"{args.tokens / seconds:.2f} tok/s", flush=True)


if __name__ == "__main__":
    main()
