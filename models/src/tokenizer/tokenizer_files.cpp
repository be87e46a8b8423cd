#include "tokenizer_files.hpp"

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string_view>

#include "pretokenizer.hpp"

namespace seer::models::tokenizer {
namespace json = boost::json;
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TokenizerError("tokenizer: cannot open " + path.string());
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw TokenizerError("tokenizer: cannot read " + path.string());
  return std::move(content).str();
}

json::value parse_json_file(const std::filesystem::path& path) {
  const std::string text = read_file(path);
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  if (error) {
    throw TokenizerError("tokenizer: " + path.string() + " is not valid JSON: " + error.message());
  }
  return value;
}

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw TokenizerError("tokenizer: " + path.string() + ": " + what);
}

const json::object& as_object(const json::value& value, const std::filesystem::path& path,
                              std::string_view what) {
  if (!value.is_object()) fail(path, std::string(what) + " is not a JSON object");
  return value.get_object();
}

std::unordered_map<std::string, TokenId> read_vocabulary(const json::object& vocab,
                                                         const std::filesystem::path& path) {
  std::unordered_map<std::string, TokenId> vocabulary;
  vocabulary.reserve(vocab.size());
  for (const auto& [token, id] : vocab) {
    if (!id.is_int64())
      fail(path, "vocabulary id of '" + std::string(token) + "' is not an integer");
    vocabulary.emplace(std::string(token), static_cast<TokenId>(id.get_int64()));
  }
  return vocabulary;
}

// "a b" as in merges.txt and older tokenizer.json files.
MergeRule split_merge_line(std::string_view line, const std::filesystem::path& path) {
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos || line.find(' ', space + 1) != std::string_view::npos) {
    fail(path, "merge '" + std::string(line) + "' is not two tokens separated by one space");
  }
  return {std::string(line.substr(0, space)), std::string(line.substr(space + 1))};
}

std::vector<MergeRule> read_merges(const json::array& merges, const std::filesystem::path& path) {
  std::vector<MergeRule> rules;
  rules.reserve(merges.size());
  for (const json::value& merge : merges) {
    if (merge.is_string()) {
      rules.push_back(split_merge_line(merge.get_string(), path));
    } else if (merge.is_array() && merge.get_array().size() == 2 &&
               merge.get_array()[0].is_string() && merge.get_array()[1].is_string()) {
      rules.emplace_back(std::string(merge.get_array()[0].get_string()),
                         std::string(merge.get_array()[1].get_string()));
    } else {
      fail(path, "a merge is neither \"a b\" nor [\"a\", \"b\"]: " + json::serialize(merge));
    }
  }
  return rules;
}

// The first Split pre-tokenizer with a Regex pattern, searched through Sequences.
std::string find_split_regex(const json::value& pre_tokenizer) {
  if (!pre_tokenizer.is_object()) return {};
  const json::object& object = pre_tokenizer.get_object();
  const json::value* type = object.if_contains("type");
  if (type && type->is_string() && type->get_string() == "Split") {
    const json::value* pattern = object.if_contains("pattern");
    if (pattern && pattern->is_object()) {
      const json::value* regex = pattern->get_object().if_contains("Regex");
      if (regex && regex->is_string()) return std::string(regex->get_string());
    }
  }
  if (const json::value* children = object.if_contains("pretokenizers");
      children && children->is_array()) {
    for (const json::value& child : children->get_array()) {
      if (std::string found = find_split_regex(child); !found.empty()) return found;
    }
  }
  return {};
}

bool mentions_nfc(const json::value& normalizer) {
  if (!normalizer.is_object()) return false;
  const json::object& object = normalizer.get_object();
  const json::value* type = object.if_contains("type");
  if (type && type->is_string() && type->get_string() == "NFC") return true;
  if (const json::value* children = object.if_contains("normalizers");
      children && children->is_array()) {
    for (const json::value& child : children->get_array()) {
      if (mentions_nfc(child)) return true;
    }
  }
  return false;
}

AddedToken read_added_token(const json::value& entry, const json::value* id_override,
                            const std::filesystem::path& path) {
  const json::object& object = as_object(entry, path, "an added token");
  const json::value* id = id_override ? id_override : object.if_contains("id");
  const json::value* content = object.if_contains("content");
  if (!id || !id->is_int64() || !content || !content->is_string()) {
    fail(path, "added token without integer id and string content: " + json::serialize(entry));
  }
  const json::value* special = object.if_contains("special");
  return {static_cast<TokenId>(id->get_int64()), std::string(content->get_string()),
          special && special->is_bool() ? special->get_bool() : true};
}

}  // namespace

TokenizerParts read_tokenizer_json(const std::filesystem::path& path) {
  const json::value root = parse_json_file(path);
  const json::object& top = as_object(root, path, "the document");
  const json::value* model_value = top.if_contains("model");
  if (!model_value) fail(path, "no \"model\" section");
  const json::object& model = as_object(*model_value, path, "\"model\"");
  if (const json::value* type = model.if_contains("type");
      type && !(type->is_string() && type->get_string() == "BPE")) {
    fail(path, "model type " + json::serialize(*type) + " is not BPE");
  }
  const json::value* vocab = model.if_contains("vocab");
  const json::value* merges = model.if_contains("merges");
  if (!vocab || !merges || !merges->is_array()) fail(path, "model has no vocab or merges");

  TokenizerParts parts;
  parts.source = path.string();
  parts.vocabulary = read_vocabulary(as_object(*vocab, path, "model.vocab"), path);
  parts.merges = read_merges(merges->get_array(), path);
  if (const json::value* added = top.if_contains("added_tokens"); added && added->is_array()) {
    for (const json::value& entry : added->get_array()) {
      parts.added_tokens.push_back(read_added_token(entry, nullptr, path));
    }
  }
  const json::value* pre_tokenizer = top.if_contains("pre_tokenizer");
  parts.pretokenizer_pattern = pre_tokenizer ? find_split_regex(*pre_tokenizer) : std::string();
  if (parts.pretokenizer_pattern.empty()) {
    parts.pretokenizer_pattern = std::string(kQwen2PretokenizerPattern);
  }
  const json::value* normalizer = top.if_contains("normalizer");
  parts.nfc = normalizer && mentions_nfc(*normalizer);
  return parts;
}

TokenizerParts read_vocab_merges(const std::filesystem::path& vocab_json,
                                 const std::filesystem::path& merges_txt) {
  TokenizerParts parts;
  parts.source = vocab_json.string() + " + " + merges_txt.string();
  const json::value vocab = parse_json_file(vocab_json);
  parts.vocabulary = read_vocabulary(as_object(vocab, vocab_json, "the document"), vocab_json);

  std::istringstream lines(read_file(merges_txt));
  std::string line;
  bool first_line = true;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // The optional header line ("#version: 0.2") and blank lines carry no merge.
    const bool header = first_line && line.starts_with("#version");
    first_line = false;
    if (header || line.empty()) continue;
    parts.merges.push_back(split_merge_line(line, merges_txt));
  }
  parts.pretokenizer_pattern = std::string(kQwen2PretokenizerPattern);
  parts.nfc = true;
  return parts;
}

std::vector<AddedToken> read_added_tokens_decoder(const std::filesystem::path& config_json) {
  const json::value root = parse_json_file(config_json);
  const json::object& top = as_object(root, config_json, "the document");
  std::vector<AddedToken> tokens;
  const json::value* decoder = top.if_contains("added_tokens_decoder");
  if (!decoder) return tokens;
  for (const auto& [id_text, entry] : as_object(*decoder, config_json, "added_tokens_decoder")) {
    std::size_t parsed = 0;
    long long id = 0;
    try {
      id = std::stoll(std::string(id_text), &parsed);
    } catch (const std::exception&) {
      parsed = 0;
    }
    if (parsed == 0 || parsed != id_text.size()) {
      fail(config_json, "added_tokens_decoder key '" + std::string(id_text) + "' is not an id");
    }
    const json::value id_value(static_cast<std::int64_t>(id));
    tokens.push_back(read_added_token(entry, &id_value, config_json));
  }
  return tokens;
}

}  // namespace seer::models::tokenizer
