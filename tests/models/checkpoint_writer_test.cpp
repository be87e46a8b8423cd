#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "checkpoint_scratch_dir.hpp"
#include "seer/models/safetensors.hpp"
#include "seer/models/safetensors_writer.hpp"

namespace seer::models {
namespace {

namespace fs = std::filesystem;
using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

// One tensor of every type the reader knows, in awkward shapes: a scalar, an empty tensor, a
// transposed (non-contiguous) view, odd byte counts that leave later tensors unaligned.
NamedTensors every_dtype() {
  const at::Tensor doubles = at::randn({3, 5}, at::kDouble);
  return {
      {"u8", at::randint(0, 256, {7}, at::kByte)},
      {"f64", doubles},
      {"f32.transposed", at::randn({4, 6}).t()},
      {"f16", at::randn({2, 3, 4}).to(at::kHalf)},
      {"bf16", at::randn({5, 3}).to(at::kBFloat16)},
      {"i64", at::randint(-1'000'000, 1'000'000, {9}, at::kLong)},
      {"i32.scalar", at::scalar_tensor(-123456, at::kInt)},
      {"i8", at::randint(-128, 128, {3, 3}, at::kChar)},
      {"bool", at::randint(0, 2, {11}).to(at::kBool)},
      {"f32.empty", at::empty({0, 4}, at::kFloat)},
  };
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const SafetensorsError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no SafetensorsError";
  return {};
}

TEST(SafetensorsWriter, EveryDtypeRoundTripsThroughTheReader) {
  const test::ScratchDir dir;
  const NamedTensors tensors = every_dtype();
  const SafetensorsMetadata metadata{{"format", "pt"}, {"note", "écrit par seer"}};
  write_safetensors(dir / "all.safetensors", tensors, metadata);

  const SafetensorsFile file(dir / "all.safetensors");
  EXPECT_EQ(file.metadata(), metadata);
  ASSERT_EQ(file.size(), tensors.size());
  for (const auto& [name, tensor] : tensors) {
    SCOPED_TRACE(name);
    const TensorInfo& info = file.require(name);
    EXPECT_EQ(info.dtype, tensor.scalar_type());
    EXPECT_EQ(info.shape, tensor.sizes().vec());
    EXPECT_TRUE(at::equal(file.view(name), tensor));
  }
}

TEST(SafetensorsWriter, HeaderIsPaddedToEightBytesAndDataLiesBackToBackInOrder) {
  const test::ScratchDir dir;
  const NamedTensors tensors = every_dtype();
  write_safetensors(dir / "all.safetensors", tensors);
  const std::string bytes = read_bytes(dir / "all.safetensors");

  std::uint64_t header_length = 0;
  for (int i = 7; i >= 0; --i) {
    header_length = (header_length << 8) | static_cast<unsigned char>(bytes[i]);
  }
  const std::uint64_t data_start = 8 + header_length;
  EXPECT_EQ(data_start % 8, 0u);
  const std::string header = bytes.substr(8, header_length);
  EXPECT_EQ(header.substr(0, header.find_last_not_of(' ') + 1).back(), '}');
  EXPECT_EQ(header.find("__metadata__"), std::string::npos) << "no metadata was given";

  const SafetensorsFile file(dir / "all.safetensors");
  std::uint64_t expected_offset = data_start;
  for (const auto& [name, tensor] : tensors) {
    SCOPED_TRACE(name);
    const TensorInfo& info = file.require(name);
    EXPECT_EQ(info.offset, expected_offset);
    EXPECT_EQ(info.nbytes, tensor.nbytes());
    expected_offset += info.nbytes;
  }
  EXPECT_EQ(expected_offset, bytes.size());
}

TEST(SafetensorsWriter, StreamedTensorsAreAskedForInOrderOneAtATime) {
  const test::ScratchDir dir;
  const std::vector<TensorSpec> specs{{"b", at::kFloat, {2, 2}}, {"a", at::kLong, {3}}};
  std::vector<std::size_t> asked;
  write_safetensors(dir / "streamed.safetensors", specs, [&](std::size_t i) {
    asked.push_back(i);
    return i == 0 ? at::full({2, 2}, 1.5f) : at::arange(3, at::kLong);
  });
  EXPECT_EQ(asked, (std::vector<std::size_t>{0, 1}));
  const SafetensorsFile file(dir / "streamed.safetensors");
  EXPECT_TRUE(at::equal(file.view("b"), at::full({2, 2}, 1.5f)));
  EXPECT_TRUE(at::equal(file.view("a"), at::arange(3, at::kLong)));
}

TEST(SafetensorsWriter, WritingIntoAMissingDirectoryThrowsAndLeavesNothing) {
  const test::ScratchDir dir;
  const fs::path path = dir / "no-such-dir/model.safetensors";
  const std::string message = message_of([&] { write_safetensors(path, {{"x", at::ones({2})}}); });
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(dir / "no-such-dir"));
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(SafetensorsWriter, AFailedOverwriteKeepsTheOldFileAndRemovesTheTemporaryOne) {
  const test::ScratchDir dir;
  const fs::path path = dir / "model.safetensors";
  write_safetensors(path, {{"old", at::arange(4, at::kFloat)}});
  const std::string old_bytes = read_bytes(path);

  const std::vector<TensorSpec> specs{{"first", at::kFloat, {1000}}, {"second", at::kFloat, {4}}};
  const std::string message = message_of([&] {
    write_safetensors(path, specs, [](std::size_t i) -> at::Tensor {
      if (i == 1) throw std::runtime_error("the source ran dry");
      return at::zeros({1000});
    });
  });
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("the source ran dry"), std::string::npos) << message;
  EXPECT_EQ(read_bytes(path), old_bytes);
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

// The file-size limit stands in for a full disk: write() fails part way through the data.
TEST(SafetensorsWriter, RunningOutOfSpaceMidFileLeavesNoFile) {
  const test::ScratchDir dir;
  const fs::path path = dir / "model.safetensors";
  rlimit old_limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);  // fail with EFBIG, not a signal
  rlimit small = old_limit;
  small.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::string message = message_of([&] {
    write_safetensors(path, {{"big", at::zeros({100'000})}});
  });
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("File too large"), std::string::npos) << message;
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(SafetensorsWriter, AProducedTensorOfAnotherShapeOrTypeIsRefusedNamingIt) {
  const test::ScratchDir dir;
  const fs::path path = dir / "model.safetensors";
  const std::vector<TensorSpec> specs{{"w", at::kBFloat16, {2, 3}}};
  const std::string wrong_shape = message_of([&] {
    write_safetensors(path, specs, [](std::size_t) { return at::zeros({3, 2}, at::kBFloat16); });
  });
  EXPECT_NE(wrong_shape.find("'w' should be BFloat16 [2, 3] but is BFloat16 [3, 2]"),
            std::string::npos)
      << wrong_shape;
  const std::string wrong_type = message_of([&] {
    write_safetensors(path, specs, [](std::size_t) { return at::zeros({2, 3}, at::kFloat); });
  });
  EXPECT_NE(wrong_type.find("but is Float [2, 3]"), std::string::npos) << wrong_type;
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(SafetensorsWriter, BadNamesAndUnsupportedTypesAreRefusedBeforeAnythingIsWritten) {
  const test::ScratchDir dir;
  const fs::path path = dir / "model.safetensors";
  EXPECT_NE(message_of([&] {
              write_safetensors(path, {{"x", at::ones({1})}, {"x", at::ones({2})}});
            }).find("'x' is named twice"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              write_safetensors(path, {{"__metadata__", at::ones({1})}});
            }).find("not a tensor name"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              write_safetensors(path, {{"c", at::ones({2}, at::kComplexFloat)}});
            }).find("ComplexFloat"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              write_safetensors(path, {{"u", at::Tensor()}});
            }).find("'u' is undefined"),
            std::string::npos);
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(SafetensorsWriter, AnEmptyFileHoldsNoTensorsAndReadsBack) {
  const test::ScratchDir dir;
  write_safetensors(dir / "empty.safetensors", NamedTensors{});
  const SafetensorsFile file(dir / "empty.safetensors");
  EXPECT_EQ(file.size(), 0u);
}

}  // namespace
}  // namespace seer::models
