#include "seer/models/safetensors.hpp"

#include "fixture_support.hpp"

#include <ATen/core/Tensor.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <bit>
#include <boost/json.hpp>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace seer::models {
namespace {

namespace fs = std::filesystem;

using test::kFixtureDir;
using test::read_file;
const fs::path kEma = kFixtureDir / "ema.safetensors";
const fs::path kTextOnly = kFixtureDir / "case_text_only.safetensors";

// The stored bytes of one tensor, read without the mapping.
std::string read_range(const fs::path& path, const TensorInfo& info) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(info.offset));
  std::string bytes(info.nbytes, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

// The message of the SafetensorsError that `open` throws, or "" when it throws none.
template <typename Action>
std::string error_of(Action action) {
  try {
    action();
  } catch (const SafetensorsError& error) {
    return error.what();
  }
  return "";
}

TEST(SafetensorsFixture, EmaHoldsEveryKeyAndShapeOfKeysJson) {
  const SafetensorsFile file(kEma);
  const boost::json::object listing =
      boost::json::parse(read_file(kFixtureDir / "keys.json")).as_object();
  const boost::json::object& shapes = listing.at("shapes").as_object();
  ASSERT_EQ(file.size(), 130u);
  ASSERT_EQ(file.size(), shapes.size());
  for (const auto& [key, shape] : shapes) {
    const TensorInfo& info = file.require(key);
    EXPECT_EQ(info.dtype, at::kBFloat16) << key;
    EXPECT_EQ(info.shape, boost::json::value_to<std::vector<std::int64_t>>(shape)) << key;
  }
}

TEST(SafetensorsFixture, ExpectShapeAcceptsTheStoredShapes) {
  const SafetensorsFile file(kEma);
  file.expect_shape("connector.fc1.weight", {64, 48});
  file.expect_shape("language_model.model.embed_tokens.weight", {152064, 64});
  file.expect_shape("vit_model.vision_model.embeddings.patch_embedding.weight", {48, 588});
  file.expect_shape("vit_pos_embed.pos_embed", {4900, 64});
}

TEST(SafetensorsFixture, CaseFileLoadsIntegersAndFloats) {
  const SafetensorsFile file(kTextOnly);
  EXPECT_EQ(file.size(), 5u);
  const at::Tensor prompt = file.load("prompt_ids", {.float_dtype = at::kBFloat16});
  ASSERT_EQ(prompt.scalar_type(), at::kLong);  // integers keep their type
  const std::vector<std::int64_t> expected = {9707, 11, 1246, 525, 498, 30};
  ASSERT_EQ(prompt.numel(), 6);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(prompt.data_ptr<std::int64_t>()[i], expected[i]);
  }
  const at::Tensor logits = file.view("first_logits");
  EXPECT_EQ(logits.scalar_type(), at::kFloat);
  EXPECT_EQ(logits.sizes(), at::IntArrayRef({152064}));
}

TEST(SafetensorsFixture, ViewsShareTheMappingAndOutliveTheFile) {
  at::Tensor logits;
  {
    const SafetensorsFile file(kTextOnly);
    logits = file.view("first_logits");
    EXPECT_EQ(file.view("first_logits").data_ptr(), logits.data_ptr());  // no copy
  }
  const TensorInfo info = SafetensorsFile(kTextOnly).require("first_logits");
  const std::string raw = read_range(kTextOnly, info);
  EXPECT_EQ(std::memcmp(logits.data_ptr(), raw.data(), info.nbytes), 0);
}

TEST(SafetensorsFixture, Bf16ToFloat32MatchesManualConversion) {
  const SafetensorsFile file(kEma);
  const std::string key = "connector.fc1.weight";
  const TensorInfo& info = file.require(key);
  const at::Tensor converted = file.load(key, {.float_dtype = at::kFloat});
  ASSERT_EQ(converted.scalar_type(), at::kFloat);
  ASSERT_EQ(converted.sizes(), at::IntArrayRef(info.shape));
  const std::string raw = read_range(kEma, info);
  const float* values = converted.data_ptr<float>();
  for (std::int64_t i = 0; i < converted.numel(); ++i) {
    std::uint16_t bf16 = 0;
    std::memcpy(&bf16, raw.data() + 2 * static_cast<std::size_t>(i), 2);
    // bfloat16 is the top half of a float32's bits.
    const float manual = std::bit_cast<float>(static_cast<std::uint32_t>(bf16) << 16);
    ASSERT_EQ(std::bit_cast<std::uint32_t>(values[i]), std::bit_cast<std::uint32_t>(manual)) << i;
  }
  EXPECT_EQ(file.load(key, {.float_dtype = at::kHalf}).scalar_type(), at::kHalf);
  EXPECT_EQ(file.load(key).scalar_type(), at::kBFloat16);
}

TEST(SafetensorsFixture, UnderstandingFilterDropsTheGenerationExpert) {
  EXPECT_TRUE(is_understanding_key("language_model.model.layers.0.mlp.up_proj.weight"));
  EXPECT_TRUE(is_understanding_key("vit_pos_embed.pos_embed"));
  EXPECT_FALSE(is_understanding_key("language_model.model.layers.0.mlp_moe_gen.up_proj.weight"));
  EXPECT_FALSE(is_understanding_key("language_model.model.norm_moe_gen.weight"));
  EXPECT_FALSE(is_understanding_key("time_embedder.mlp.0.weight"));
  EXPECT_FALSE(is_understanding_key("vae2llm.weight"));
  EXPECT_FALSE(is_understanding_key("llm2vae.bias"));
  EXPECT_FALSE(is_understanding_key("latent_pos_embed.pos_embed"));

  const SafetensorsFile file(kEma);
  std::uint64_t last_done = 0;
  std::uint64_t last_total = 0;
  int calls = 0;
  const auto tensors = file.load_all({.float_dtype = at::kFloat,
                                      .filter = is_understanding_key,
                                      .progress = [&](std::uint64_t done, std::uint64_t total) {
                                        EXPECT_GT(done, last_done);
                                        last_done = done;
                                        last_total = total;
                                        ++calls;
                                      }});
  EXPECT_EQ(tensors.size(), 130u - 43u);  // the fixture has 43 `_moe_gen` keys
  std::uint64_t selected_bytes = 0;
  for (const auto& [key, tensor] : tensors) {
    EXPECT_EQ(key.find("moe_gen"), std::string::npos) << key;
    EXPECT_EQ(tensor.scalar_type(), at::kFloat) << key;
    selected_bytes += file.require(key).nbytes;
  }
  EXPECT_EQ(calls, static_cast<int>(tensors.size()));
  EXPECT_EQ(last_done, selected_bytes);
  EXPECT_EQ(last_total, selected_bytes);
}

TEST(SafetensorsFixture, MissingKeyNamesTheFileAndNearMatches) {
  const SafetensorsFile file(kEma);
  const std::string message = error_of([&] { file.require("connector.fc1.weigth"); });
  EXPECT_NE(message.find(kEma.string() + ": missing tensor 'connector.fc1.weigth'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("nearest: 'connector.fc1.weight'"), std::string::npos) << message;
  EXPECT_FALSE(file.contains("connector.fc1.weigth"));
  EXPECT_TRUE(file.contains("connector.fc1.weight"));
}

TEST(SafetensorsFixture, UnexpectedShapeNamesKeyAndBothShapes) {
  const SafetensorsFile file(kEma);
  const std::string message = error_of([&] {
    file.expect_shape("connector.fc1.weight", {48, 64});
  });
  EXPECT_NE(message.find(kEma.string() + ": tensor 'connector.fc1.weight' has shape [64, 48], "
                                         "expected [48, 64]"),
            std::string::npos)
      << message;
}

// Writes safetensors files by hand, correct or deliberately broken, into a private folder.
class HandWrittenFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("seer-safetensors-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The length field says `claimed_length` when given, else the header's true length.
  fs::path write(const std::string& name, const std::string& header, const std::string& data,
                 std::optional<std::uint64_t> claimed_length = std::nullopt) {
    const fs::path path = dir_ / name;
    std::ofstream out(path, std::ios::binary);
    const std::uint64_t length = claimed_length.value_or(header.size());
    for (int i = 0; i < 8; ++i) out.put(static_cast<char>((length >> (8 * i)) & 0xff));
    out << header << data;
    return path;
  }

  fs::path write_raw(const std::string& name, const std::string& bytes) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  fs::path dir_;
};

struct BrokenFile {
  std::string name;
  std::string header;
  std::string data;
  std::optional<std::uint64_t> claimed_length;
  std::string expected;
};

TEST_F(HandWrittenFile, EveryBrokenFileIsRefusedOnOpenWithAClearMessage) {
  const std::string f32_pair = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  const std::vector<BrokenFile> cases = {
      {"length_past_end", f32_pair, std::string(8, '\0'), 1000,
       "truncated: the header claims 1000 bytes but the file holds only"},
      {"length_over_limit", f32_pair, std::string(8, '\0'), 200'000'000,
       "header length 200000000 exceeds the limit of 100000000 bytes"},
      {"not_json", "{\"a\": [1, 2", "", std::nullopt, "header is not valid JSON"},
      {"not_an_object", "[1, 2]", "", std::nullopt, "header is not a JSON object"},
      {"unknown_dtype", R"({"a":{"dtype":"F8","shape":[2],"data_offsets":[0,2]}})",
       std::string(2, '\0'), std::nullopt, "tensor 'a' has unknown dtype 'F8'"},
      {"no_dtype", R"({"a":{"shape":[2],"data_offsets":[0,8]}})", std::string(8, '\0'),
       std::nullopt, "tensor 'a' has no 'dtype'"},
      {"no_offsets", R"({"a":{"dtype":"F32","shape":[2]}})", std::string(8, '\0'), std::nullopt,
       "tensor 'a' has no 'data_offsets'"},
      {"negative_dim", R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})",
       std::string(8, '\0'), std::nullopt, "tensor 'a' has a shape entry that is not a size"},
      {"reversed_offsets", R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})",
       std::string(8, '\0'), std::nullopt, "tensor 'a' has data_offsets that are not [begin, end]"},
      {"size_mismatch", R"({"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}})",
       std::string(20, '\0'), std::nullopt,
       "tensor 'a': shape [2, 3] of F32 needs 24 bytes but data_offsets span 20"},
      {"overlap",
       R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
       R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
       std::string(12, '\0'), std::nullopt, "tensors 'a' and 'b' overlap in the data section"},
      {"out_of_range",
       R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
       R"("b":{"dtype":"F32","shape":[4],"data_offsets":[16,32]}})",
       std::string(16, '\0'), std::nullopt,
       "truncated or corrupt: tensor 'b' needs data bytes [16, 32) but the data section holds "
       "only 16"},
      {"duplicate_key",
       R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
       R"("a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
       std::string(16, '\0'), std::nullopt, "duplicate key 'a' in the header"},
      {"bad_metadata", R"({"__metadata__":{"format":1}})", "", std::nullopt,
       "'__metadata__' entry 'format' is not a string"},
  };
  for (const BrokenFile& broken : cases) {
    SCOPED_TRACE(broken.name);
    const fs::path path =
        write(broken.name + ".safetensors", broken.header, broken.data, broken.claimed_length);
    const std::string message = error_of([&] { SafetensorsFile{path}; });
    EXPECT_EQ(message.rfind(path.string() + ": ", 0), 0u) << message;  // names the file first
    EXPECT_NE(message.find(broken.expected), std::string::npos) << message;
  }
}

TEST_F(HandWrittenFile, TruncatedCheckpointIsRefusedNamingTheTensorCut) {
  const std::string whole = read_file(kTextOnly);
  const fs::path cut = write_raw("cut.safetensors", whole.substr(0, whole.size() / 2));
  const std::string message = error_of([&] { SafetensorsFile{cut}; });
  EXPECT_NE(message.find(cut.string() + ": truncated or corrupt: tensor 'first_logits' needs data "
                                        "bytes [1200, 609456)"),
            std::string::npos)
      << message;
}

TEST_F(HandWrittenFile, FileShorterThanTheLengthFieldIsTruncated) {
  const fs::path tiny = write_raw("tiny.safetensors", "abcd");
  EXPECT_NE(error_of([&] {
              SafetensorsFile{tiny};
            }).find("truncated: 4 bytes, shorter than the 8-byte header length field"),
            std::string::npos);
  const fs::path empty = write_raw("empty.safetensors", "");
  EXPECT_NE(error_of([&] { SafetensorsFile{empty}; }).find("truncated: 0 bytes"),
            std::string::npos);
}

TEST_F(HandWrittenFile, AbsentFileIsAnError) {
  const std::string message = error_of([&] { SafetensorsFile{dir_ / "absent.safetensors"}; });
  EXPECT_NE(message.find("absent.safetensors: cannot open: No such file or directory"),
            std::string::npos)
      << message;
}

TEST_F(HandWrittenFile, MetadataEmptyAndMisalignedTensorsLoad) {
  // The header is padded so the data section is 8-aligned; `f` starts at its byte 1.
  std::string header =
      R"({"__metadata__":{"format":"pt"},"e":{"dtype":"F32","shape":[0],"data_offsets":[1,1]},)"
      R"("f":{"dtype":"F32","shape":[2],"data_offsets":[1,9]},)"
      R"("u":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}})";
  header.append((8 - header.size() % 8) % 8, ' ');
  std::string data(9, '\0');
  data[0] = 7;
  const float values[2] = {1.5f, -2.25f};
  std::memcpy(data.data() + 1, values, sizeof values);
  const SafetensorsFile file(write("mixed.safetensors", header, data));

  EXPECT_EQ(file.metadata().at("format"), "pt");
  EXPECT_EQ(file.keys(), (std::vector<std::string>{"e", "f", "u"}));
  EXPECT_EQ(file.view("e").numel(), 0);
  const at::Tensor f = file.view("f");
  EXPECT_EQ(f.data_ptr<float>()[0], 1.5f);
  EXPECT_EQ(f.data_ptr<float>()[1], -2.25f);
  EXPECT_EQ(file.view("u").data_ptr<std::uint8_t>()[0], 7);
}

}  // namespace
}  // namespace seer::models
