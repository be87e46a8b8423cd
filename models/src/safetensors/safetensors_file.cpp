#include <ATen/core/Tensor.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/from_blob.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "safetensors/header.hpp"
#include "safetensors/mapped_file.hpp"
#include "safetensors/nearest_keys.hpp"
#include "seer/models/safetensors.hpp"

namespace seer::models {

// safetensors stores little-endian bytes, which views hand to libtorch as they are.
static_assert(std::endian::native == std::endian::little);

namespace {

at::ScalarType scalar_type(safetensors::StoredDtype dtype) {
  using safetensors::StoredDtype;
  switch (dtype) {
    case StoredDtype::kF64:
      return at::kDouble;
    case StoredDtype::kF32:
      return at::kFloat;
    case StoredDtype::kF16:
      return at::kHalf;
    case StoredDtype::kBF16:
      return at::kBFloat16;
    case StoredDtype::kI64:
      return at::kLong;
    case StoredDtype::kI32:
      return at::kInt;
    case StoredDtype::kI8:
      return at::kChar;
    case StoredDtype::kU8:
      return at::kByte;
    case StoredDtype::kBool:
      return at::kBool;
  }
  throw std::logic_error("unhandled safetensors dtype");
}

std::string describe_shape(at::IntArrayRef shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

void check_float_dtype(const LoadOptions& options) {
  if (!options.float_dtype) return;
  const at::ScalarType dtype = *options.float_dtype;
  if (dtype != at::kFloat && dtype != at::kBFloat16 && dtype != at::kHalf) {
    throw std::invalid_argument("LoadOptions::float_dtype must be float32, bfloat16 or float16");
  }
}

}  // namespace

SafetensorsFile::SafetensorsFile(std::filesystem::path path) : path_(std::move(path)) {
  const auto fail = [this](const std::exception& problem) {
    return SafetensorsError(path_.string() + ": " + problem.what());
  };
  safetensors::Header header;
  try {
    mapping_ = std::make_shared<const safetensors::MappedFile>(path_);
    header = safetensors::parse_header(mapping_->bytes());
  } catch (const std::runtime_error& problem) {
    throw fail(problem);
  }
  tensors_.reserve(header.entries.size());
  for (safetensors::HeaderEntry& entry : header.entries) {
    tensors_.push_back({std::move(entry.key), scalar_type(entry.dtype), std::move(entry.shape),
                        entry.offset, entry.nbytes});
  }
  metadata_ = std::move(header.metadata);
}

std::vector<std::string> SafetensorsFile::keys() const {
  std::vector<std::string> keys;
  keys.reserve(tensors_.size());
  for (const TensorInfo& info : tensors_) keys.push_back(info.key);
  return keys;
}

const TensorInfo* SafetensorsFile::find(std::string_view key) const {
  const auto found = std::lower_bound(
      tensors_.begin(), tensors_.end(), key,
      [](const TensorInfo& info, std::string_view wanted) { return info.key < wanted; });
  return found != tensors_.end() && found->key == key ? &*found : nullptr;
}

bool SafetensorsFile::contains(std::string_view key) const { return find(key) != nullptr; }

const TensorInfo& SafetensorsFile::require(std::string_view key) const {
  if (const TensorInfo* found = find(key)) return *found;
  std::string message = path_.string() + ": missing tensor '" + std::string(key) + "'";
  const std::vector<std::string> nearest = safetensors::nearest_keys(key, keys(), 3);
  for (std::size_t i = 0; i < nearest.size(); ++i) {
    message += (i == 0 ? " (nearest: '" : ", '") + nearest[i] + "'";
  }
  if (!nearest.empty()) message += ")";
  throw SafetensorsError(message);
}

void SafetensorsFile::expect_shape(std::string_view key, at::IntArrayRef shape) const {
  const TensorInfo& info = require(key);
  if (at::IntArrayRef(info.shape) != shape) {
    throw SafetensorsError(path_.string() + ": tensor '" + info.key + "' has shape " +
                           describe_shape(info.shape) + ", expected " + describe_shape(shape));
  }
}

at::Tensor SafetensorsFile::view(std::string_view key) const {
  const TensorInfo& info = require(key);
  const auto options = at::TensorOptions().dtype(info.dtype).device(at::kCPU);
  const std::byte* bytes = mapping_->bytes().data() + info.offset;
  const std::size_t alignment = c10::elementSize(info.dtype);
  if (info.nbytes == 0 || reinterpret_cast<std::uintptr_t>(bytes) % alignment != 0) {
    // libtorch's kernels may assume aligned elements, so misaligned data is copied out.
    at::Tensor copy = at::empty(info.shape, options);
    if (info.nbytes > 0) std::memcpy(copy.data_ptr(), bytes, info.nbytes);
    return copy;
  }
  // The deleter owns a reference to the mapping, so the view outlives this object safely.
  return at::from_blob(
      const_cast<std::byte*>(bytes), info.shape, [mapping = mapping_](void*) {}, options);
}

at::Tensor SafetensorsFile::load(std::string_view key, const LoadOptions& options) const {
  check_float_dtype(options);
  at::Tensor tensor = view(key);
  const at::ScalarType stored = tensor.scalar_type();
  const at::ScalarType target =
      at::isFloatingType(stored) && options.float_dtype ? *options.float_dtype : stored;
  if (target == stored && options.device == tensor.device()) return tensor;
  return tensor.to(options.device, target);
}

std::map<std::string, at::Tensor> SafetensorsFile::load_all(const LoadOptions& options) const {
  check_float_dtype(options);
  // File order keeps the reads through the mapping sequential.
  std::vector<const TensorInfo*> selected;
  std::uint64_t total = 0;
  for (const TensorInfo& info : tensors_) {
    if (options.filter && !options.filter(info.key)) continue;
    selected.push_back(&info);
    total += info.nbytes;
  }
  std::sort(selected.begin(), selected.end(),
            [](const TensorInfo* a, const TensorInfo* b) { return a->offset < b->offset; });
  std::map<std::string, at::Tensor> tensors;
  std::uint64_t done = 0;
  for (const TensorInfo* info : selected) {
    tensors.emplace(info->key, load(info->key, options));
    done += info->nbytes;
    if (options.progress) options.progress(done, total);
  }
  return tensors;
}

}  // namespace seer::models
