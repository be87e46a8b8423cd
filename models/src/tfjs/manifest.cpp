#include "tfjs/manifest.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <limits>
#include <set>

#include "seer/models/tfjs_weights_error.hpp"

namespace seer::models::tfjs {

namespace {

// One weight above this is a corrupt manifest, not a model (the face nets hold ~100k).
constexpr std::int64_t kMaxElements = std::int64_t{1} << 31;

std::string_view text_of(const boost::json::string& text) { return {text.data(), text.size()}; }

class ManifestReader {
 public:
  explicit ManifestReader(const std::string& source) : source_(source) {}

  std::vector<ManifestGroup> read(std::string_view text) const {
    boost::system::error_code error;
    const boost::json::value root = boost::json::parse(text, error);
    if (error) fail("not valid JSON: " + error.message());
    if (!root.is_array()) fail("expected a JSON array of weight groups");
    std::vector<ManifestGroup> groups;
    std::set<std::string, std::less<>> names;
    for (std::size_t index = 0; index < root.get_array().size(); ++index) {
      groups.push_back(read_group(root.get_array()[index], index, names));
    }
    if (groups.empty()) fail("the manifest lists no weight groups");
    return groups;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const {
    throw TfjsWeightsError(source_ + ": " + message);
  }

  const boost::json::value& field(const boost::json::object& object, std::string_view key,
                                  const std::string& where) const {
    const boost::json::value* value =
        object.if_contains(boost::json::string_view(key.data(), key.size()));
    if (value == nullptr) fail(where + " has no '" + std::string(key) + "'");
    return *value;
  }

  std::string string_field(const boost::json::object& object, std::string_view key,
                           const std::string& where) const {
    const boost::json::value& value = field(object, key, where);
    if (!value.is_string()) fail(where + ": '" + std::string(key) + "' must be a string");
    return std::string(text_of(value.get_string()));
  }

  double number_field(const boost::json::object& object, std::string_view key,
                      const std::string& where) const {
    const boost::json::value& value = field(object, key, where);
    if (!value.is_number()) fail(where + ": '" + std::string(key) + "' must be a number");
    return value.to_number<double>();
  }

  ManifestGroup read_group(const boost::json::value& value, std::size_t index,
                           std::set<std::string, std::less<>>& names) const {
    const std::string where = "group " + std::to_string(index);
    if (!value.is_object()) fail(where + " is not a JSON object");
    const boost::json::object& object = value.get_object();
    ManifestGroup group;
    const boost::json::value& paths = field(object, "paths", where);
    if (!paths.is_array() || paths.get_array().empty()) {
      fail(where + ": 'paths' must be a non-empty array of file names");
    }
    for (const boost::json::value& path : paths.get_array()) {
      if (!path.is_string() || path.get_string().empty()) {
        fail(where + ": 'paths' must hold file names");
      }
      group.paths.emplace_back(text_of(path.get_string()));
    }
    const boost::json::value& weights = field(object, "weights", where);
    if (!weights.is_array()) fail(where + ": 'weights' must be an array");
    for (const boost::json::value& weight : weights.get_array()) {
      group.weights.push_back(read_weight(weight, where));
      if (!names.insert(group.weights.back().name).second) {
        fail("weight '" + group.weights.back().name + "' is listed twice");
      }
    }
    return group;
  }

  ManifestWeight read_weight(const boost::json::value& value, const std::string& group) const {
    if (!value.is_object()) fail(group + ": a weight entry is not a JSON object");
    const boost::json::object& object = value.get_object();
    ManifestWeight weight;
    weight.name = string_field(object, "name", group + ": a weight entry");
    const std::string where = "weight '" + weight.name + "'";
    weight.shape = read_shape(field(object, "shape", where), where);

    const std::string dtype = string_field(object, "dtype", where);
    if (dtype != "float32") {
      fail(where + " has dtype '" + dtype + "'; only float32 weights are supported");
    }
    const boost::json::value* quantization = object.if_contains("quantization");
    if (quantization != nullptr) read_quantization(*quantization, where, weight);
    return weight;
  }

  std::vector<std::int64_t> read_shape(const boost::json::value& value,
                                       const std::string& where) const {
    if (!value.is_array()) fail(where + ": 'shape' must be an array of sizes");
    std::vector<std::int64_t> shape;
    std::int64_t elements = 1;
    for (const boost::json::value& size : value.get_array()) {
      if (!size.is_int64() && !size.is_uint64()) fail(where + ": 'shape' must hold integers");
      const std::int64_t extent = size.is_int64() ? size.get_int64() : -1;
      if (extent < 0 || (extent > 0 && elements > kMaxElements / extent)) {
        fail(where + ": 'shape' holds a negative or too large size");
      }
      elements *= extent;
      shape.push_back(extent);
    }
    return shape;
  }

  void read_quantization(const boost::json::value& value, const std::string& where,
                         ManifestWeight& weight) const {
    if (!value.is_object()) fail(where + ": 'quantization' must be a JSON object");
    const boost::json::object& object = value.get_object();
    const std::string dtype = string_field(object, "dtype", where + "'s quantization");
    if (dtype == "float16") {
      weight.stored = StoredValue::float16;
      return;
    }
    if (dtype == "uint8") {
      weight.stored = StoredValue::uint8;
    } else if (dtype == "uint16") {
      weight.stored = StoredValue::uint16;
    } else {
      fail(where + " is quantised as '" + dtype + "'; expected uint8, uint16 or float16");
    }
    weight.scale = number_field(object, "scale", where + "'s quantization");
    weight.min = number_field(object, "min", where + "'s quantization");
  }

  const std::string& source_;
};

}  // namespace

std::size_t bytes_per_value(StoredValue stored) {
  switch (stored) {
    case StoredValue::float32:
      return 4;
    case StoredValue::uint16:
    case StoredValue::float16:
      return 2;
    case StoredValue::uint8:
      return 1;
  }
  return 4;
}

std::int64_t ManifestWeight::element_count() const {
  std::int64_t count = 1;
  for (const std::int64_t extent : shape) count *= extent;
  return count;
}

std::vector<ManifestGroup> parse_manifest(std::string_view text, const std::string& source) {
  return ManifestReader(source).read(text);
}

}  // namespace seer::models::tfjs
