#pragma once
// Reading the bagel-tiny fixture and comparing against it, shared by the models/ tests.

#include <ATen/ATen.h>
#include <boost/json.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace seer::models::test {

inline const std::filesystem::path kFixtureDir = SEER_MODELS_FIXTURE_DIR;

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline boost::json::object read_json_object(const std::filesystem::path& path) {
  return boost::json::parse(read_file(path)).as_object();
}

inline std::vector<std::int64_t> to_ids(const at::Tensor& tensor) {
  const at::Tensor flat = tensor.to(at::kLong).contiguous();
  return {flat.data_ptr<std::int64_t>(), flat.data_ptr<std::int64_t>() + flat.numel()};
}

// ||ours − reference|| / ||reference||, computed in double.
inline double relative_error(const at::Tensor& ours, const at::Tensor& reference) {
  return (ours.to(at::kDouble) - reference.to(at::kDouble)).norm().item<double>() /
         reference.to(at::kDouble).norm().item<double>();
}

}  // namespace seer::models::test
