#include "seer/models/tfjs_weights.hpp"

#include <ATen/ATen.h>

#include <bit>
#include <cstring>
#include <fstream>
#include <iterator>

#include "tfjs/manifest.hpp"

namespace seer::models {

namespace {

namespace fs = std::filesystem;

static_assert(std::endian::native == std::endian::little,
              "tfjs weight files are little-endian; reading them assumes a little-endian host");

std::string read_whole_file(const fs::path& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TfjsWeightsError(path.string() + ": cannot open " + what);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string describe_weights(const tfjs::ManifestGroup& group) {
  if (group.weights.empty()) return "no weights";
  std::string text = "weight '" + group.weights.front().name + "'";
  if (group.weights.size() > 1) {
    text += " and " + std::to_string(group.weights.size() - 1) + " more";
  }
  return text;
}

// A group's shards concatenated, as tfjs does before slicing out the weights.
std::string read_group_bytes(const tfjs::ManifestGroup& group, const fs::path& folder,
                             const fs::path& manifest) {
  std::string bytes;
  for (const std::string& name : group.paths) {
    const fs::path relative(name);
    if (relative.is_absolute() || relative.lexically_normal().string().starts_with("..")) {
      throw TfjsWeightsError(manifest.string() + ": weight file '" + name +
                             "' must be a path inside the manifest's folder");
    }
    const fs::path path = folder / relative;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      throw TfjsWeightsError(manifest.string() + ": cannot open the weight file " + path.string() +
                             " holding " + describe_weights(group));
    }
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return bytes;
}

std::string shard_names(const tfjs::ManifestGroup& group) {
  std::string names;
  for (const std::string& path : group.paths) names += (names.empty() ? "" : " + ") + path;
  return names;
}

// Every weight must fit in the bytes and the bytes must hold nothing else.
void check_sizes(const tfjs::ManifestGroup& group, std::uint64_t available,
                 const fs::path& manifest) {
  std::uint64_t offset = 0;
  for (const tfjs::ManifestWeight& weight : group.weights) {
    const std::uint64_t end = offset + weight.byte_count();
    if (end > available) {
      throw TfjsWeightsError(manifest.string() + ": " + shard_names(group) + " holds " +
                             std::to_string(available) + " bytes but weight '" + weight.name +
                             "' needs bytes " + std::to_string(offset) + ".." +
                             std::to_string(end) + " (truncated or not this model's file)");
    }
    offset = end;
  }
  if (offset != available) {
    throw TfjsWeightsError(manifest.string() + ": " + shard_names(group) + " holds " +
                           std::to_string(available) + " bytes but its weights take " +
                           std::to_string(offset) + " (not this manifest's file)");
  }
}

at::ScalarType scalar_type_of(tfjs::StoredValue stored) {
  switch (stored) {
    case tfjs::StoredValue::float32:
      return at::kFloat;
    case tfjs::StoredValue::float16:
      return at::kHalf;
    case tfjs::StoredValue::uint8:
      return at::kByte;
    case tfjs::StoredValue::uint16:
      return at::kShort;  // libtorch has no uint16: the bits are read back below
  }
  return at::kFloat;
}

at::Tensor decode(const tfjs::ManifestWeight& weight, const char* bytes) {
  // Copied out first: a weight's bytes need not be aligned for its type.
  at::Tensor stored = at::empty({weight.element_count()}, scalar_type_of(weight.stored));
  std::memcpy(stored.data_ptr(), bytes, weight.byte_count());
  switch (weight.stored) {
    case tfjs::StoredValue::float32:
      return stored;
    case tfjs::StoredValue::float16:
      return stored.to(at::kFloat);
    case tfjs::StoredValue::uint8:
    case tfjs::StoredValue::uint16: {
      const at::Tensor quantised = weight.stored == tfjs::StoredValue::uint8
                                       ? stored.to(at::kDouble)
                                       : stored.to(at::kInt).bitwise_and(0xFFFF).to(at::kDouble);
      // Dequantised in double and rounded once, as tfjs does in JavaScript numbers.
      return (quantised * weight.scale + weight.min).to(at::kFloat);
    }
  }
  return stored;
}

}  // namespace

TfjsWeights TfjsWeights::load(const fs::path& manifest) {
  const std::vector<tfjs::ManifestGroup> groups =
      tfjs::parse_manifest(read_whole_file(manifest, "the weights manifest"), manifest.string());
  TfjsWeights weights;
  weights.manifest_ = manifest;
  for (const tfjs::ManifestGroup& group : groups) {
    const std::string bytes = read_group_bytes(group, manifest.parent_path(), manifest);
    check_sizes(group, bytes.size(), manifest);
    std::uint64_t offset = 0;
    for (const tfjs::ManifestWeight& weight : group.weights) {
      weights.tensors_.emplace(weight.name,
                               decode(weight, bytes.data() + offset).reshape(weight.shape));
      offset += weight.byte_count();
    }
  }
  return weights;
}

bool TfjsWeights::contains(std::string_view name) const { return tensors_.contains(name); }

std::vector<std::string> TfjsWeights::names() const {
  std::vector<std::string> names;
  for (const auto& entry : tensors_) names.push_back(entry.first);
  return names;
}

at::Tensor TfjsWeights::require(std::string_view name, at::IntArrayRef shape) const {
  const auto found = tensors_.find(name);
  if (found == tensors_.end()) {
    throw TfjsWeightsError(manifest_.string() + ": has no weight '" + std::string(name) + "'");
  }
  if (found->second.sizes() != shape) {
    throw TfjsWeightsError(manifest_.string() + ": weight '" + std::string(name) + "' has shape " +
                           c10::str(found->second.sizes()) + ", expected " + c10::str(shape));
  }
  return found->second;
}

}  // namespace seer::models
