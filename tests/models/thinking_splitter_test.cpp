#include "seer/models/thinking_splitter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace seer::models {
namespace {

ThinkingSplitter::Pieces split(const std::vector<std::string>& pieces) {
  ThinkingSplitter splitter;
  ThinkingSplitter::Pieces all;
  for (const std::string& piece : pieces) {
    const auto out = splitter.push(piece);
    all.thinking += out.thinking;
    all.answer += out.answer;
  }
  const auto rest = splitter.finish();
  return {all.thinking + rest.thinking, all.answer + rest.answer};
}

TEST(ThinkingSplitter, SeparatesReasoningFromTheAnswer) {
  const auto pieces = split({"<think> the user", " smiles </think> You look happy."});
  EXPECT_EQ(pieces.thinking, "the user smiles ");
  EXPECT_EQ(pieces.answer, "You look happy.");
}

TEST(ThinkingSplitter, FindsTagsCutAcrossPieces) {
  const auto pieces = split({" <th", "ink>a", "b</th", "ink>", " c"});
  EXPECT_EQ(pieces.thinking, "ab");
  EXPECT_EQ(pieces.answer, "c");
}

TEST(ThinkingSplitter, TextWithoutAReasoningBlockIsAllAnswer) {
  const auto pieces = split({"Hello", " <think> is a tag"});
  EXPECT_EQ(pieces.thinking, "");
  EXPECT_EQ(pieces.answer, "Hello <think> is a tag");
}

TEST(ThinkingSplitter, AnUnfinishedReasoningStaysReasoning) {
  const auto pieces = split({"<think>still thinking </thi"});
  EXPECT_EQ(pieces.thinking, "still thinking </thi");
  EXPECT_EQ(pieces.answer, "");
}

TEST(ThinkingSplitter, StreamsReasoningAsItArrives) {
  ThinkingSplitter splitter;
  EXPECT_EQ(splitter.push("<think>one ").thinking, "one ");
  EXPECT_EQ(splitter.push("two").thinking, "two");
}

}  // namespace
}  // namespace seer::models
