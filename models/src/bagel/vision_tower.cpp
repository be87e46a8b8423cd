#include "seer/models/vision_tower.hpp"

#include <ATen/ATen.h>

#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bagel/vision_activation.hpp"
#include "bagel/vision_encoder_layer.hpp"
#include "bagel/vision_weights.hpp"

namespace seer::models {

namespace {
const std::string kVit = "vit_model.vision_model.";
}  // namespace

struct VisionTower::Weights {
  bagel::LinearWeights patch_embedding;  // Linear layout [hidden, patch_dim]
  at::Tensor position_embedding;         // learned [positions, hidden]
  std::vector<bagel::VisionEncoderLayer> layers;
  bagel::LayerNormWeights post_layernorm;
  bagel::LinearWeights connector_fc1, connector_fc2;
  bagel::Activation connector_activation;
  at::Tensor vit_pos_embed;  // 2D sin-cos [positions, llm hidden]
  at::TensorOptions options;
};

VisionTower::VisionTower(const SafetensorsFile& checkpoint, VisionConfig config,
                         const LoadOptions& options)
    : config_(std::move(config)) {
  const bagel::WeightReader reader(checkpoint, options);
  const std::int64_t hidden = config_.hidden_size;
  const std::int64_t positions = config_.position_count();
  // The LLM's width is recorded only by the connector's shape (and llm_config.json).
  const std::vector<std::int64_t>& fc1_shape = reader.shape_of("connector.fc1.weight");
  if (fc1_shape.size() != 2) {
    throw SafetensorsError(checkpoint.path().string() +
                           ": tensor 'connector.fc1.weight' is not a matrix");
  }
  const std::int64_t llm_hidden = fc1_shape[0];

  std::vector<bagel::VisionEncoderLayer> layers;
  layers.reserve(static_cast<std::size_t>(config_.layers_used()));
  for (std::int64_t i = 0; i < config_.layers_used(); ++i) {
    layers.emplace_back(reader, kVit + "encoder.layers." + std::to_string(i), config_);
  }
  weights_ = std::make_unique<Weights>(Weights{
      .patch_embedding =
          reader.linear(kVit + "embeddings.patch_embedding", hidden, config_.patch_dim()),
      .position_embedding =
          reader.tensor(kVit + "embeddings.position_embedding.weight", {positions, hidden}),
      .layers = std::move(layers),
      .post_layernorm = reader.layer_norm(kVit + "post_layernorm", hidden, config_.layer_norm_eps),
      .connector_fc1 = reader.linear("connector.fc1", llm_hidden, hidden),
      .connector_fc2 = reader.linear("connector.fc2", llm_hidden, llm_hidden),
      .connector_activation = bagel::parse_activation(config_.connector_act),
      .vit_pos_embed = reader.tensor("vit_pos_embed.pos_embed", {positions, llm_hidden}),
      .options = {},
  });
  weights_->options = weights_->position_embedding.options();
}

VisionTower VisionTower::load(const std::filesystem::path& model_dir, const LoadOptions& options) {
  const SafetensorsFile checkpoint(model_dir / "ema.safetensors");
  return VisionTower(checkpoint, read_vision_config(model_dir / "vit_config.json"), options);
}

VisionTower::VisionTower(VisionTower&&) noexcept = default;
VisionTower& VisionTower::operator=(VisionTower&&) noexcept = default;
VisionTower::~VisionTower() = default;

std::int64_t VisionTower::llm_hidden_size() const { return weights_->connector_fc1.weight.size(0); }

at::Tensor VisionTower::encode_images(const at::Tensor& patches, const at::Tensor& position_ids,
                                      at::IntArrayRef image_lengths) const {
  return encode_with_stages(patches, position_ids, image_lengths).embeddings;
}

at::Tensor VisionTower::encode_image(const at::Tensor& patches,
                                     const at::Tensor& position_ids) const {
  const std::int64_t n = patches.dim() > 0 ? patches.size(0) : 0;
  return encode_images(patches, position_ids, {n});
}

VisionOutputs VisionTower::encode_with_stages(const at::Tensor& patches,
                                              const at::Tensor& position_ids,
                                              at::IntArrayRef image_lengths) const {
  check_inputs(patches, position_ids, image_lengths);
  const at::Tensor ids = position_ids.to(weights_->options.device());
  VisionOutputs out;
  out.vit_out = vit(patches, ids, image_lengths);
  out.connector_out = connect(out.vit_out);
  out.embeddings = out.connector_out + weights_->vit_pos_embed.index_select(0, ids);
  return out;
}

at::Tensor VisionTower::vit(const at::Tensor& patches, const at::Tensor& position_ids,
                            at::IntArrayRef image_lengths) const {
  const at::Tensor pixels = patches.to(weights_->options);
  at::Tensor x = weights_->patch_embedding(pixels) +
                 weights_->position_embedding.index_select(0, position_ids);
  for (const bagel::VisionEncoderLayer& layer : weights_->layers) {
    x = layer.forward(x, image_lengths);
  }
  return weights_->post_layernorm(x);
}

at::Tensor VisionTower::connect(const at::Tensor& vit_out) const {
  const at::Tensor h = weights_->connector_fc1(vit_out);
  return weights_->connector_fc2(bagel::apply_activation(weights_->connector_activation, h));
}

void VisionTower::check_inputs(const at::Tensor& patches, const at::Tensor& position_ids,
                               at::IntArrayRef image_lengths) const {
  if (patches.dim() != 2 || patches.size(1) != config_.patch_dim()) {
    throw std::invalid_argument("VisionTower: patches must be [N, " +
                                std::to_string(config_.patch_dim()) + "]");
  }
  const std::int64_t n = patches.size(0);
  if (position_ids.dim() != 1 || position_ids.size(0) != n ||
      position_ids.scalar_type() != at::kLong) {
    throw std::invalid_argument("VisionTower: position_ids must be int64 [N], N = " +
                                std::to_string(n));
  }
  if (n > 0 && (position_ids.min().item<std::int64_t>() < 0 ||
                position_ids.max().item<std::int64_t>() >= config_.position_count())) {
    throw std::invalid_argument("VisionTower: position ids must lie in [0, " +
                                std::to_string(config_.position_count()) + ")");
  }
  const std::int64_t total =
      std::accumulate(image_lengths.begin(), image_lengths.end(), std::int64_t{0});
  if (total != n) {
    throw std::invalid_argument("VisionTower: image_lengths sum to " + std::to_string(total) +
                                ", but there are " + std::to_string(n) + " patches");
  }
  for (const std::int64_t length : image_lengths) {
    if (length <= 0) throw std::invalid_argument("VisionTower: an image has no patches");
  }
}

}  // namespace seer::models
