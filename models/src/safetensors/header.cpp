#include "safetensors/header.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>

#include "safetensors/duplicate_keys.hpp"

namespace seer::models::safetensors {

namespace {

constexpr std::uint64_t kLengthFieldBytes = 8;

std::string quoted(std::string_view key) { return "'" + std::string(key) + "'"; }

std::string tensor_label(std::string_view key) { return "tensor " + quoted(key); }

std::uint64_t read_little_endian_u64(std::span<const std::byte> bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < kLengthFieldBytes; ++i) {
    value |= static_cast<std::uint64_t>(bytes[i]) << (8 * i);
  }
  return value;
}

// Spelled out because older Boost.JSON strings do not convert to std::string_view.
template <typename JsonText>
std::string_view text_of(const JsonText& text) {
  return {text.data(), text.size()};
}

std::optional<std::uint64_t> as_unsigned(const boost::json::value& value) {
  if (value.is_uint64()) return value.get_uint64();
  if (value.is_int64() && value.get_int64() >= 0) {
    return static_cast<std::uint64_t>(value.get_int64());
  }
  return std::nullopt;
}

const boost::json::value& field(const boost::json::object& entry, std::string_view key,
                                std::string_view name) {
  const boost::json::value* value =
      entry.if_contains(boost::json::string_view(name.data(), name.size()));
  if (value == nullptr) {
    throw InvalidHeader(tensor_label(key) + " has no '" + std::string(name) + "'");
  }
  return *value;
}

StoredDtype read_dtype(const boost::json::object& entry, std::string_view key) {
  const boost::json::value& value = field(entry, key, "dtype");
  if (!value.is_string()) throw InvalidHeader(tensor_label(key) + " has a non-string dtype");
  const std::string_view name = text_of(value.get_string());
  const std::optional<StoredDtype> dtype = parse_stored_dtype(name);
  if (!dtype) {
    throw InvalidHeader(tensor_label(key) + " has unknown dtype '" + std::string(name) + "'");
  }
  return *dtype;
}

std::vector<std::int64_t> read_shape(const boost::json::object& entry, std::string_view key) {
  const boost::json::value& value = field(entry, key, "shape");
  if (!value.is_array()) throw InvalidHeader(tensor_label(key) + " has a shape that is not a list");
  std::vector<std::int64_t> shape;
  for (const boost::json::value& dim : value.get_array()) {
    const std::optional<std::uint64_t> size = as_unsigned(dim);
    if (!size || *size > static_cast<std::uint64_t>(INT64_MAX)) {
      throw InvalidHeader(tensor_label(key) + " has a shape entry that is not a size");
    }
    shape.push_back(static_cast<std::int64_t>(*size));
  }
  return shape;
}

std::pair<std::uint64_t, std::uint64_t> read_offsets(const boost::json::object& entry,
                                                     std::string_view key) {
  const boost::json::value& value = field(entry, key, "data_offsets");
  const boost::json::array* pair = value.if_array();
  std::optional<std::uint64_t> begin, end;
  if (pair != nullptr && pair->size() == 2) {
    begin = as_unsigned((*pair)[0]);
    end = as_unsigned((*pair)[1]);
  }
  if (!begin || !end || *begin > *end) {
    throw InvalidHeader(tensor_label(key) + " has data_offsets that are not [begin, end]");
  }
  return {*begin, *end};
}

std::string describe_shape(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

// Bytes that `shape` of `dtype` occupies; nullopt when the product overflows.
std::optional<std::uint64_t> byte_size(const std::vector<std::int64_t>& shape, StoredDtype dtype) {
  std::uint64_t bytes = element_size(dtype);
  for (const std::int64_t dim : shape) {
    if (__builtin_mul_overflow(bytes, static_cast<std::uint64_t>(dim), &bytes)) return std::nullopt;
  }
  return bytes;
}

HeaderEntry read_entry(std::string_view key, const boost::json::value& value,
                       std::uint64_t data_start, std::uint64_t data_size) {
  const boost::json::object* entry = value.if_object();
  if (entry == nullptr) throw InvalidHeader(tensor_label(key) + " is not a JSON object");
  const StoredDtype dtype = read_dtype(*entry, key);
  std::vector<std::int64_t> shape = read_shape(*entry, key);
  const auto [begin, end] = read_offsets(*entry, key);
  const std::optional<std::uint64_t> expected = byte_size(shape, dtype);
  const std::string dtype_name(text_of(entry->at("dtype").get_string()));
  if (!expected || *expected != end - begin) {
    throw InvalidHeader(tensor_label(key) + ": shape " + describe_shape(shape) + " of " +
                        dtype_name + " needs " +
                        (expected ? std::to_string(*expected) : "too many") +
                        " bytes but data_offsets span " + std::to_string(end - begin));
  }
  if (end > data_size) {
    throw InvalidHeader("truncated or corrupt: " + tensor_label(key) + " needs data bytes [" +
                        std::to_string(begin) + ", " + std::to_string(end) +
                        ") but the data section holds only " + std::to_string(data_size));
  }
  return {std::string(key), dtype, std::move(shape), data_start + begin, end - begin};
}

std::map<std::string, std::string> read_metadata(const boost::json::value& value) {
  const boost::json::object* object = value.if_object();
  if (object == nullptr) throw InvalidHeader("'__metadata__' is not a JSON object");
  std::map<std::string, std::string> metadata;
  for (const auto& [name, text] : *object) {
    if (!text.is_string()) {
      throw InvalidHeader("'__metadata__' entry " + quoted(text_of(name)) + " is not a string");
    }
    metadata.emplace(text_of(name), text_of(text.get_string()));
  }
  return metadata;
}

// Sorted by offset, each range must end where or before the next begins; empty tensors own
// no bytes and cannot overlap anything.
void reject_overlaps(const std::vector<HeaderEntry>& entries) {
  std::vector<const HeaderEntry*> by_offset;
  for (const HeaderEntry& entry : entries) {
    if (entry.nbytes > 0) by_offset.push_back(&entry);
  }
  std::sort(by_offset.begin(), by_offset.end(),
            [](const HeaderEntry* a, const HeaderEntry* b) { return a->offset < b->offset; });
  for (std::size_t i = 1; i < by_offset.size(); ++i) {
    const HeaderEntry& previous = *by_offset[i - 1];
    if (previous.offset + previous.nbytes > by_offset[i]->offset) {
      throw InvalidHeader("tensors " + quoted(previous.key) + " and " + quoted(by_offset[i]->key) +
                          " overlap in the data section");
    }
  }
}

}  // namespace

Header parse_header(std::span<const std::byte> file) {
  if (file.size() < kLengthFieldBytes) {
    throw InvalidHeader("truncated: " + std::to_string(file.size()) +
                        " bytes, shorter than the 8-byte header length field");
  }
  const std::uint64_t header_size = read_little_endian_u64(file);
  const std::uint64_t available = file.size() - kLengthFieldBytes;
  if (header_size > kMaxHeaderBytes) {
    throw InvalidHeader("header length " + std::to_string(header_size) + " exceeds the limit of " +
                        std::to_string(kMaxHeaderBytes) + " bytes");
  }
  if (header_size > available) {
    throw InvalidHeader("truncated: the header claims " + std::to_string(header_size) +
                        " bytes but the file holds only " + std::to_string(available) +
                        " after the length field");
  }
  const std::string_view json(reinterpret_cast<const char*>(file.data() + kLengthFieldBytes),
                              header_size);
  boost::json::error_code error;
  const boost::json::value root =
      boost::json::parse(boost::json::string_view(json.data(), json.size()), error);
  if (error) throw InvalidHeader("header is not valid JSON: " + error.message());
  if (const std::optional<std::string> duplicate = first_duplicate_key(json)) {
    throw InvalidHeader("duplicate key " + quoted(*duplicate) + " in the header");
  }
  const boost::json::object* tensors = root.if_object();
  if (tensors == nullptr) throw InvalidHeader("header is not a JSON object");

  const std::uint64_t data_start = kLengthFieldBytes + header_size;
  const std::uint64_t data_size = file.size() - data_start;
  Header header;
  for (const auto& [json_key, value] : *tensors) {
    const std::string_view key = text_of(json_key);
    if (key == "__metadata__") {
      header.metadata = read_metadata(value);
    } else {
      header.entries.push_back(read_entry(key, value, data_start, data_size));
    }
  }
  std::sort(header.entries.begin(), header.entries.end(),
            [](const HeaderEntry& a, const HeaderEntry& b) { return a.key < b.key; });
  reject_overlaps(header.entries);
  return header;
}

}  // namespace seer::models::safetensors
