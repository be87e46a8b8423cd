#pragma once
// The latest vision report as the chat model sees it: one block of text with its age ("seen
// 4 s ago"), rebuilt for every turn and never stored in the conversation history, so however
// many turns pass the prompt holds the report exactly once.

#include <seer/agents/vision_report.hpp>

#include <chrono>
#include <string>

namespace seer::agents {

// "just now" under 2 s, "4 s ago", "3 min ago", "2 h ago".
std::string age_text(std::chrono::seconds age);

// The block's text: where and when it was seen, who is there, their mood, the description,
// objects (with the detector's provenance, so a simulated detector says so), and what could
// not be found and why.
std::string observation_text(const VisionReport& report, std::chrono::seconds age);

// The first line of every observation block; tests and clients find the block by it.
inline constexpr const char* kObservationHeading = "[Vision report";

}  // namespace seer::agents
