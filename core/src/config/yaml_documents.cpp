#include "config/yaml_documents.hpp"

#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <vector>

namespace seer::config {
namespace {

// Notes where each document starts and where its root value is, and nothing else.
class DocumentMarks final : public YAML::EventHandler {
 public:
  struct Document {
    YAML::Mark start;
    YAML::Mark root;
    bool has_root = false;
  };

  void OnDocumentStart(const YAML::Mark& mark) override { documents.push_back({.start = mark}); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { value_at(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { value_at(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    value_at(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    value_at(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    value_at(mark);
  }
  void OnMapEnd() override {}

  std::vector<Document> documents;

 private:
  void value_at(const YAML::Mark& mark) {
    if (documents.empty() || documents.back().has_root) return;
    documents.back().root = mark;
    documents.back().has_root = true;
  }
};

}  // namespace

YamlDocuments read_yaml_documents(const std::string& text) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentMarks marks;
  while (parser.HandleNextDocument(marks)) {
    const std::vector<DocumentMarks::Document>& seen = marks.documents;
    // A document that starts where the previous one did consumed nothing: the parser is
    // stuck on a token it cannot place, and would hand out empty documents forever.
    if (seen.size() >= 2 && seen.back().start.pos == seen[seen.size() - 2].start.pos) {
      const auto at = static_cast<std::size_t>(seen.back().start.pos);
      const std::string token = at < text.size() ? std::string(1, text[at]) : "end of text";
      throw YAML::ParserException(seen.back().start,
                                  "unexpected '" + token + "' where a value should start");
    }
  }
  YamlDocuments documents{.count = marks.documents.size()};
  if (documents.count >= 2) {
    const DocumentMarks::Document& second = marks.documents[1];
    documents.second = second.has_root ? second.root : second.start;
  }
  // The first document again, now known to be readable, as a node tree.
  if (documents.count >= 1) documents.first = YAML::Load(text);
  return documents;
}

}  // namespace seer::config
