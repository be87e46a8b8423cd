#include <ATen/ATen.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <array>
#include <bit>
#include <cstring>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include "safetensors/writer_atomic_file.hpp"
#include "seer/models/safetensors_writer.hpp"

namespace seer::models {
namespace {

// The format's integers and tensor bytes are little-endian; memory is written as it is.
static_assert(std::endian::native == std::endian::little);

constexpr std::size_t kAlignment = 8;

std::optional<std::string_view> dtype_name(at::ScalarType dtype) {
  switch (dtype) {
    case at::kDouble:
      return "F64";
    case at::kFloat:
      return "F32";
    case at::kHalf:
      return "F16";
    case at::kBFloat16:
      return "BF16";
    case at::kLong:
      return "I64";
    case at::kInt:
      return "I32";
    case at::kChar:
      return "I8";
    case at::kByte:
      return "U8";
    case at::kBool:
      return "BOOL";
    default:
      return std::nullopt;
  }
}

std::string describe_shape(at::IntArrayRef shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    text += (i > 0 ? ", " : "") + std::to_string(shape[i]);
  }
  return text + "]";
}

std::uint64_t byte_size(const TensorSpec& spec) {
  std::uint64_t bytes = c10::elementSize(spec.dtype);
  for (const std::int64_t dim : spec.shape) {
    if (dim < 0) throw std::invalid_argument("tensor '" + spec.name + "' has a negative size");
    if (__builtin_mul_overflow(bytes, static_cast<std::uint64_t>(dim), &bytes)) {
      throw std::invalid_argument("tensor '" + spec.name + "' is too large");
    }
  }
  return bytes;
}

// The JSON header padded with spaces so that the data section starts 8-byte aligned.
std::string build_header(const std::vector<TensorSpec>& specs,
                         const SafetensorsMetadata& metadata) {
  boost::json::object header;
  if (!metadata.empty()) {
    boost::json::object entries;
    for (const auto& [name, value] : metadata) entries[name] = value;
    header["__metadata__"] = std::move(entries);
  }
  std::set<std::string_view> names;
  std::uint64_t offset = 0;
  for (const TensorSpec& spec : specs) {
    const std::optional<std::string_view> dtype = dtype_name(spec.dtype);
    if (!dtype) {
      throw std::invalid_argument("tensor '" + spec.name + "' has type " +
                                  std::string(c10::toString(spec.dtype)) +
                                  ", which safetensors files here do not hold");
    }
    if (spec.name.empty() || spec.name == "__metadata__") {
      throw std::invalid_argument("'" + spec.name + "' is not a tensor name");
    }
    if (!names.insert(spec.name).second) {
      throw std::invalid_argument("tensor '" + spec.name + "' is named twice");
    }
    const std::uint64_t end = offset + byte_size(spec);
    boost::json::array shape(spec.shape.begin(), spec.shape.end());
    header[spec.name] = {
        {"dtype", *dtype}, {"shape", std::move(shape)}, {"data_offsets", {offset, end}}};
    offset = end;
  }
  std::string text = boost::json::serialize(header);
  text.append((kAlignment - text.size() % kAlignment) % kAlignment, ' ');
  return text;
}

void write_tensor(safetensors::AtomicFile& file, const TensorSpec& spec, const at::Tensor& tensor) {
  if (!tensor.defined() || tensor.scalar_type() != spec.dtype ||
      tensor.sizes() != at::IntArrayRef(spec.shape)) {
    throw std::invalid_argument(
        "tensor '" + spec.name + "' should be " + std::string(c10::toString(spec.dtype)) + " " +
        describe_shape(spec.shape) + " but is " +
        (tensor.defined() ? std::string(c10::toString(tensor.scalar_type())) + " " +
                                describe_shape(tensor.sizes())
                          : std::string("undefined")));
  }
  const at::Tensor bytes = tensor.to(at::kCPU).contiguous();
  file.write({static_cast<const std::byte*>(bytes.data_ptr()), bytes.nbytes()});
}

}  // namespace

void write_safetensors(const std::filesystem::path& path, const std::vector<TensorSpec>& specs,
                       const TensorProducer& produce, const SafetensorsMetadata& metadata) {
  try {
    const std::string header = build_header(specs, metadata);
    safetensors::AtomicFile file(path);
    std::array<std::byte, 8> length{};
    const std::uint64_t header_size = header.size();
    std::memcpy(length.data(), &header_size, length.size());
    file.write(length);
    file.write(std::as_bytes(std::span(header)));
    for (std::size_t i = 0; i < specs.size(); ++i) write_tensor(file, specs[i], produce(i));
    file.commit();
  } catch (const std::system_error& error) {
    throw SafetensorsError(path.string() + ": cannot write the checkpoint: " + error.what());
  } catch (const std::exception& error) {
    throw SafetensorsError(path.string() + ": " + error.what());
  }
}

void write_safetensors(const std::filesystem::path& path,
                       const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                       const SafetensorsMetadata& metadata) {
  std::vector<TensorSpec> specs;
  specs.reserve(tensors.size());
  for (const auto& [name, tensor] : tensors) {
    if (!tensor.defined()) {
      throw SafetensorsError(path.string() + ": tensor '" + name + "' is undefined");
    }
    specs.push_back({name, tensor.scalar_type(), tensor.sizes().vec()});
  }
  write_safetensors(
      path, specs, [&tensors](std::size_t i) { return tensors[i].second; }, metadata);
}

}  // namespace seer::models
