#pragma once
// BAGEL's one-word answer to the emotion prompt, as a reported emotion.

#include <seer/agents/vision_report.hpp>

#include <string_view>

namespace seer::agents {

// The label is the answer's first word in lower case without punctuation ("Happy." → "happy"),
// named as the CNN names its classes where it is one of their common forms ("joy" → "happy");
// the answer itself is kept beside it.
ReportedEmotion emotion_from_answer(std::string_view answer);

}  // namespace seer::agents
