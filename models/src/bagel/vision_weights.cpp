#include "bagel/vision_weights.hpp"

#include <ATen/ATen.h>

namespace seer::models::bagel {

at::Tensor LinearWeights::operator()(const at::Tensor& x) const {
  return at::linear(x, weight, bias);
}

at::Tensor LayerNormWeights::operator()(const at::Tensor& x) const {
  return at::layer_norm(x, {weight.size(0)}, weight, bias, eps);
}

at::Tensor WeightReader::tensor(const std::string& key, at::IntArrayRef shape) const {
  file_.expect_shape(key, shape);
  return file_.load(key, options_);
}

LinearWeights WeightReader::linear(const std::string& prefix, std::int64_t out,
                                   std::int64_t in) const {
  return {tensor(prefix + ".weight", {out, in}), tensor(prefix + ".bias", {out})};
}

LayerNormWeights WeightReader::layer_norm(const std::string& prefix, std::int64_t size,
                                          double eps) const {
  return {tensor(prefix + ".weight", {size}), tensor(prefix + ".bias", {size}), eps};
}

const std::vector<std::int64_t>& WeightReader::shape_of(const std::string& key) const {
  return file_.require(key).shape;
}

}  // namespace seer::models::bagel
