#pragma once
// Indented JSON with numbers written the short way (0.25, not 2.5E-1), for people and diffs.

#include <boost/json/value.hpp>

#include <string>

namespace seer::agents {

std::string pretty_json(const boost::json::value& value);

}  // namespace seer::agents
