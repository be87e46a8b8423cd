#include <seer/agents/home_assistant_entities.hpp>

#include <boost/json.hpp>

namespace seer::agents {
namespace {

constexpr std::size_t kHomeAssistantStateLimit = 255;

void publish_state(Bus& bus, const std::string& agent, std::string_view entity,
                   boost::json::value payload) {
  bus.publish("mqtt/out/" + home_assistant_state_topic(agent, entity),
              boost::json::object{{"payload", std::move(payload)}, {"retain", true}},
              "agent:" + agent);
}

// Cuts at 255 bytes without splitting a UTF-8 character.
std::string cut_for_state(const std::string& text) {
  if (text.size() <= kHomeAssistantStateLimit) return text;
  std::size_t end = kHomeAssistantStateLimit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

std::string home_assistant_state_topic(const std::string& agent, std::string_view entity) {
  return "seer/" + agent + "/" + std::string(entity);
}

void announce_home_assistant_entities(Bus& bus, const std::string& agent) {
  const std::string source = "agent:" + agent;
  bus.publish("mqtt/discovery/register",
              boost::json::object{{"component", "sensor"},
                                  {"object_id", agent + "_mood"},
                                  {"name", agent + " mood"},
                                  {"icon", "mdi:emoticon-outline"},
                                  {"state_topic", home_assistant_state_topic(agent, "mood")}},
              source);
  bus.publish("mqtt/discovery/register",
              boost::json::object{{"component", "binary_sensor"},
                                  {"object_id", agent + "_person_present"},
                                  {"name", agent + " sees a person"},
                                  {"device_class", "occupancy"},
                                  {"payload_on", "ON"},
                                  {"payload_off", "OFF"},
                                  {"state_topic", home_assistant_state_topic(agent, "person")}},
              source);
  bus.publish("mqtt/discovery/register",
              boost::json::object{{"component", "sensor"},
                                  {"object_id", agent + "_description"},
                                  {"name", agent + " last description"},
                                  {"icon", "mdi:text-box-outline"},
                                  {"state_topic", home_assistant_state_topic(agent, "description")},
                                  {"json_attributes_topic",
                                   home_assistant_state_topic(agent, "description/attributes")}},
              source);
}

void publish_home_assistant_states(Bus& bus, const std::string& agent, const VisionReport& report) {
  if (report.faces) publish_state(bus, agent, "person", report.faces->empty() ? "OFF" : "ON");
  if (report.emotion) {
    publish_state(bus, agent, "mood", boost::json::string(report.emotion->label));
  } else if (report.emotion_bagel) {
    publish_state(bus, agent, "mood", boost::json::string(report.emotion_bagel->label));
  }
  if (report.description) {
    publish_state(bus, agent, "description",
                  boost::json::string(cut_for_state(*report.description)));
    publish_state(bus, agent, "description/attributes",
                  boost::json::object{{"description", *report.description},
                                      {"captured_at", iso8601_utc(report.captured_at)}});
  }
}

}  // namespace seer::agents
