// The Qwen2 tokenizer against the Hugging Face reference (tokenizer_cases.json, produced with
// the real tokenizer.json from the pinned npm asset) and on tiny hand-made files.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "seer/models/tokenizer.hpp"

namespace {

namespace fs = std::filesystem;
using seer::models::AddedToken;
using seer::models::Qwen2Tokenizer;
using seer::models::StreamingDecoder;
using seer::models::TokenId;
using seer::models::TokenizerError;

fs::path assets_dir() {
  if (const char* dir = std::getenv("SEER_ASSETS_DIR"); dir && *dir) return dir;
  const char* home = std::getenv("HOME");
  return fs::path(home ? home : "") / ".cache/seer/assets";
}

fs::path real_tokenizer_path() { return assets_dir() / "tokenizer/tokenizer.json"; }

fs::path cases_path() { return fs::path(SEER_MODELS_FIXTURE_DIR) / "tokenizer_cases.json"; }

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Independent of the code under test: RFC 3629 well-formedness.
bool is_valid_utf8(const std::string& text) {
  std::size_t at = 0;
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  while (at < text.size()) {
    const unsigned char lead = byte(at);
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead < 0x80) {
      length = 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      low = lead == 0xE0 ? 0xA0 : 0x80;
      high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      low = lead == 0xF0 ? 0x90 : 0x80;
      high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
      return false;
    }
    if (at + length > text.size()) return false;
    for (std::size_t i = 1; i < length; ++i) {
      const unsigned char min = i == 1 ? low : 0x80;
      const unsigned char max = i == 1 ? high : 0xBF;
      if (byte(at + i) < min || byte(at + i) > max) return false;
    }
    at += length;
  }
  return true;
}

// The real tokenizer, loaded once for the whole suite (11 MB of JSON).
class RealTokenizerTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(real_tokenizer_path())) return;
    tokenizer_ = new Qwen2Tokenizer(Qwen2Tokenizer::load(real_tokenizer_path()));
  }
  static void TearDownTestSuite() {
    delete tokenizer_;
    tokenizer_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(tokenizer_, nullptr)
        << real_tokenizer_path() << " is missing: run tools/dev/fetch-assets.sh "
        << "(or point SEER_ASSETS_DIR at the assets directory)";
  }
  static const Qwen2Tokenizer& tokenizer() { return *tokenizer_; }

 private:
  static inline Qwen2Tokenizer* tokenizer_ = nullptr;
};

TEST_F(RealTokenizerTest, EncodesEveryReferenceCaseLikeHuggingFace) {
  const boost::json::value document = boost::json::parse(read_text(cases_path()));
  const boost::json::array& cases = document.at("cases").as_array();
  ASSERT_EQ(cases.size(), 20u);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string text(cases[i].at("text").as_string());
    const std::string decoded(cases[i].at("decoded").as_string());
    std::vector<TokenId> expected;
    for (const auto& id : cases[i].at("ids").as_array()) {
      expected.push_back(static_cast<TokenId>(id.as_int64()));
    }
    SCOPED_TRACE("case " + std::to_string(i) + ": " + text);
    const std::vector<TokenId> ids = tokenizer().encode(text);
    EXPECT_EQ(ids, expected);
    EXPECT_EQ(tokenizer().decode(expected), decoded);
  }
}

TEST_F(RealTokenizerTest, KnowsBagelSpecialTokens) {
  const auto& special = tokenizer().special_ids();
  EXPECT_EQ(special.endoftext, 151643);
  EXPECT_EQ(special.im_start, 151644);
  EXPECT_EQ(special.im_end, 151645);
  EXPECT_EQ(special.vision_start, 151652);
  EXPECT_EQ(special.vision_end, 151653);
  // Qwen2.5's 151665 ids plus the npm asset's four Qwen3 adds (<tool_response>, <think>, ...).
  EXPECT_EQ(tokenizer().vocab_size(), 151669u);
  EXPECT_EQ(tokenizer().token_to_id("<|vision_start|>"), 151652);
  EXPECT_EQ(tokenizer().id_to_token(151645), "<|im_end|>");
  EXPECT_EQ(tokenizer().id_to_token(9707), "Hello");
  EXPECT_EQ(tokenizer().token_to_id("Ġworld"), 1879);
  EXPECT_TRUE(tokenizer().is_special(151644));
  EXPECT_FALSE(tokenizer().is_special(9707));
  EXPECT_EQ(tokenizer().id_to_token(152000), std::nullopt);
}

TEST_F(RealTokenizerTest, MatchesSpecialTokensWholeOnlyWhenAllowed) {
  const std::string prompt = "<|im_start|>user\nhi<|vision_start|><|vision_end|><|im_end|>";
  const std::vector<TokenId> ids = tokenizer().encode(prompt);
  ASSERT_GE(ids.size(), 5u);
  EXPECT_EQ(ids.front(), 151644);
  EXPECT_EQ(ids[ids.size() - 3], 151652);
  EXPECT_EQ(ids[ids.size() - 2], 151653);
  EXPECT_EQ(ids.back(), 151645);
  EXPECT_EQ(tokenizer().decode(ids), prompt);
  EXPECT_EQ(tokenizer().decode(ids, /*skip_special=*/true), "user\nhi");

  const std::vector<TokenId> literal = tokenizer().encode(prompt, /*allow_special=*/false);
  for (const TokenId id : literal) EXPECT_LT(id, 151643);
  EXPECT_EQ(tokenizer().decode(literal), prompt);
}

TEST_F(RealTokenizerTest, NormalisesToNfcAndRoundTripsOtherScripts) {
  // "e" + COMBINING ACUTE ACCENT encodes as the precomposed "é".
  EXPECT_EQ(tokenizer().encode("caf\x65\xCC\x81"), tokenizer().encode("caf\xC3\xA9"));
  const std::string mixed =
      "Emoji 😀👍🏽, 中文测试, 日本語, 한국어, ﬁ, Ω≈ç√";
  EXPECT_EQ(tokenizer().decode(tokenizer().encode(mixed)), mixed);
  // An NFC text comes back unchanged, including a Hangul syllable built from jamo.
  EXPECT_EQ(tokenizer().decode(tokenizer().encode("\xE1\x84\x80\xE1\x85\xA1")), "\xEA\xB0\x80");
}

TEST_F(RealTokenizerTest, RejectsInvalidUtf8) {
  EXPECT_THROW(tokenizer().encode("bad \xC3\x28 byte"), TokenizerError);
}

TEST_F(RealTokenizerTest, StreamingDecoderNeverSplitsACharacter) {
  const std::string text = "I like 🦀 and 漢字 and ÿ-umlauts 😀🎉 — done.";
  const std::vector<TokenId> ids = tokenizer().encode(text);
  bool some_token_is_a_partial_character = false;
  for (const TokenId id : ids) {
    // Alone, a token holding part of a character decodes to U+FFFD.
    if (tokenizer().decode(std::vector<TokenId>{id}).find("\xEF\xBF\xBD") != std::string::npos) {
      some_token_is_a_partial_character = true;
    }
  }
  ASSERT_TRUE(some_token_is_a_partial_character) << "the test text no longer splits a character";

  StreamingDecoder decoder(tokenizer());
  std::string joined;
  for (const TokenId id : ids) {
    const std::string piece = decoder.push(id);
    EXPECT_TRUE(is_valid_utf8(piece)) << "piece for id " << id;
    EXPECT_EQ(piece.find("\xEF\xBF\xBD"), std::string::npos) << "piece for id " << id;
    joined += piece;
  }
  joined += decoder.finish();
  EXPECT_EQ(joined, tokenizer().decode(ids));
  EXPECT_EQ(joined, text);
}

TEST_F(RealTokenizerTest, StreamingDecoderAgreesWithDecodeOnRandomIds) {
  // Random ids cut characters anywhere and form ill-formed bytes: pieces must stay valid.
  std::mt19937 random(1234);
  std::uniform_int_distribution<TokenId> any_id(0, 152063);
  std::vector<TokenId> ids(3000);
  for (TokenId& id : ids) id = any_id(random);
  StreamingDecoder decoder(tokenizer());
  std::string joined;
  for (const TokenId id : ids) {
    const std::string piece = decoder.push(id);
    ASSERT_TRUE(is_valid_utf8(piece)) << "piece for id " << id;
    joined += piece;
  }
  joined += decoder.finish();
  EXPECT_EQ(joined, tokenizer().decode(ids));
}

TEST_F(RealTokenizerTest, StreamingDecoderFlushesAnUnfinishedCharacter) {
  // A rare hieroglyph (U+13000, F0 93 80 80) has no token of its own: it splits into pieces.
  const std::vector<TokenId> ids = tokenizer().encode("\xF0\x93\x80\x80");
  ASSERT_GE(ids.size(), 2u);
  StreamingDecoder decoder(tokenizer());
  EXPECT_EQ(decoder.push(ids.front()), "");
  EXPECT_EQ(decoder.push(152000), "");  // a padded embedding row: decodes to nothing
  EXPECT_EQ(decoder.finish(), "\xEF\xBF\xBD");
  EXPECT_EQ(decoder.push(9707), "Hello");
}

TEST_F(RealTokenizerTest, EncodesALongWordWithoutSpaces) {
  const std::string word(20000, 'a');
  const std::vector<TokenId> ids = tokenizer().encode(word);
  EXPECT_LT(ids.size(), word.size() / 2);
  EXPECT_EQ(tokenizer().decode(ids), word);
}

// Tiny files in a temporary directory, removed afterwards.
class TinyTokenizerFilesTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("seer-tokenizer-test-" + std::to_string(::getpid()) + "-" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // "Ġ" is the byte-level character for a space.
  static std::string vocab_json() {
    return R"({"h":0,"e":1,"l":2,"o":3,"Ġ":4,"w":5,"r":6,"d":7,"he":8,"ll":9,"hell":10,)"
           R"("hello":11,"Ġw":12,"or":13,"Ġwor":14,"!":15})";
  }
  static std::string merges_txt() {
    return "#version: 0.2\nh e\nl l\nhe ll\nhell o\nĠ w\no r\nĠw or\n";
  }

  fs::path dir_;
};

TEST_F(TinyTokenizerFilesTest, LoadsVocabJsonAndMergesTxt) {
  write_text(dir_ / "vocab.json", vocab_json());
  write_text(dir_ / "merges.txt", merges_txt());
  const auto tokenizer = Qwen2Tokenizer::load_vocab_merges(dir_ / "vocab.json", dir_ / "merges.txt",
                                                           {AddedToken{16, "<|im_end|>", true}});
  EXPECT_EQ(tokenizer.encode("hello world!<|im_end|>"),
            (std::vector<TokenId>{11, 14, 2, 7, 15, 16}));
  EXPECT_EQ(tokenizer.decode(std::vector<TokenId>{11, 14, 2, 7, 15, 16}), "hello world!<|im_end|>");
  EXPECT_EQ(tokenizer.vocab_size(), 17u);
  EXPECT_EQ(tokenizer.special_ids().im_end, 16);
  EXPECT_EQ(tokenizer.special_ids().im_start, std::nullopt);
}

TEST_F(TinyTokenizerFilesTest, ReadsMergesAsStringsOrPairsInTokenizerJson) {
  const std::string common =
      R"("added_tokens":[{"id":16,"content":"<|im_start|>","special":true}],)"
      R"("normalizer":{"type":"NFC"},"pre_tokenizer":null,)";
  write_text(dir_ / "strings.json",
             "{" + common + R"("model":{"type":"BPE","vocab":)" + vocab_json() +
                 R"(,"merges":["h e","l l","he ll","hell o","Ġ w","o r","Ġw or"]}})");
  write_text(dir_ / "pairs.json",
             "{" + common + R"("model":{"type":"BPE","vocab":)" + vocab_json() +
                 R"(,"merges":[["h","e"],["l","l"],["he","ll"],["hell","o"],["Ġ","w"],["o","r"],)"
                 R"(["Ġw","or"]]}})");
  const std::vector<TokenId> expected{16, 11, 14, 2, 7};
  EXPECT_EQ(Qwen2Tokenizer::load(dir_ / "strings.json").encode("<|im_start|>hello world"),
            expected);
  EXPECT_EQ(Qwen2Tokenizer::load(dir_ / "pairs.json").encode("<|im_start|>hello world"), expected);
}

TEST_F(TinyTokenizerFilesTest, ReadsAddedTokensFromTokenizerConfig) {
  write_text(dir_ / "tokenizer_config.json",
             R"({"added_tokens_decoder":{"151644":{"content":"<|im_start|>","special":true},)"
             R"("151657":{"content":"<tool_call>","special":false}}})");
  const std::vector<AddedToken> tokens =
      Qwen2Tokenizer::read_added_tokens(dir_ / "tokenizer_config.json");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].id, 151644);
  EXPECT_EQ(tokens[0].content, "<|im_start|>");
  EXPECT_TRUE(tokens[0].special);
  EXPECT_EQ(tokens[1].id, 151657);
  EXPECT_FALSE(tokens[1].special);
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const TokenizerError& error) {
    return error.what();
  }
  return "(no TokenizerError)";
}

TEST_F(TinyTokenizerFilesTest, ErrorsNameTheFile) {
  const fs::path missing = dir_ / "no-such-tokenizer.json";
  EXPECT_NE(error_of([&] { Qwen2Tokenizer::load(missing); }).find(missing.string()),
            std::string::npos);

  const fs::path broken = dir_ / "broken.json";
  write_text(broken, R"({"model": {"vocab": {"a": 0}, "merges": [)");
  const std::string broken_error = error_of([&] { Qwen2Tokenizer::load(broken); });
  EXPECT_NE(broken_error.find(broken.string()), std::string::npos) << broken_error;
  EXPECT_NE(broken_error.find("not valid JSON"), std::string::npos) << broken_error;

  const fs::path no_model = dir_ / "no_model.json";
  write_text(no_model, R"({"added_tokens": []})");
  EXPECT_NE(error_of([&] { Qwen2Tokenizer::load(no_model); }).find(no_model.string()),
            std::string::npos);

  write_text(dir_ / "vocab.json", vocab_json());
  write_text(dir_ / "merges.txt", "x y\n");
  const std::string merge_error = error_of(
      [&] { Qwen2Tokenizer::load_vocab_merges(dir_ / "vocab.json", dir_ / "merges.txt"); });
  EXPECT_NE(merge_error.find("'x'"), std::string::npos) << merge_error;
  EXPECT_NE(merge_error.find("merges.txt"), std::string::npos) << merge_error;

  const fs::path missing_merges = dir_ / "missing-merges.txt";
  EXPECT_NE(error_of([&] {
              Qwen2Tokenizer::load_vocab_merges(dir_ / "vocab.json", missing_merges);
            }).find(missing_merges.string()),
            std::string::npos);
}

}  // namespace
