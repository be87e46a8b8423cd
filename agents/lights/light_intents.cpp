#include <seer/agents/light_intents.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <set>
#include <string>

namespace seer::agents {
namespace {

using Words = std::vector<std::string>;

// The tables the parser reads: change the language here, not in the code below.
constexpr std::array<std::string_view, 10> kVerbs = {"turn",     "switch", "set", "make", "dim",
                                                     "brighten", "change", "put", "shut", "power"};
constexpr std::array<std::string_view, 14> kPoliteWords = {
    "please", "can", "could", "would", "will", "you",    "hey",
    "hi",     "ok",  "okay",  "now",   "just", "kindly", "the"};
constexpr std::array<std::string_view, 14> kQuestionWords = {"what",  "which", "how", "why", "is",
                                                             "are",   "does",  "do",  "did", "when",
                                                             "where", "who",   "was", "were"};
constexpr std::array<std::string_view, 5> kNegations = {"not", "don", "dont", "never", "t"};
constexpr std::array<std::string_view, 4> kEveryLight = {"lights", "lamps", "everything", "all"};
constexpr std::array<std::string_view, 2> kOneLight = {"light", "lamp"};
constexpr std::array<std::string_view, 3> kPronouns = {"it", "them", "they"};
constexpr std::array<std::string_view, 3> kBrightnessWords = {"brightness", "dim", "brighten"};
constexpr std::array<std::string_view, 3> kPercentWords = {"%", "percent", "pc"};
constexpr std::array<std::string_view, 2> kKelvinWords = {"k", "kelvin"};
// What may follow a light named first ("lights off", "lamp to 30%").
constexpr std::array<std::string_view, 5> kAfterLeadingLight = {"on", "off", "out", "to", "at"};

template <std::size_t N>
bool is_one_of(const std::array<std::string_view, N>& table, std::string_view word) {
  return std::find(table.begin(), table.end(), word) != table.end();
}

// Lower-case words; '%' and ',' are words of their own; other punctuation separates words.
Words words_of(std::string_view text) {
  Words words;
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (const char raw : text) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(raw)));
    if (std::isalnum(static_cast<unsigned char>(c)) || (c == '#' && word.empty())) {
      // "2700k" and "30%" split into the number and its unit.
      if (!word.empty() && std::isdigit(static_cast<unsigned char>(word.back())) &&
          std::isalpha(static_cast<unsigned char>(c)) && word[0] != '#') {
        flush();
      }
      word += c;
    } else {
      flush();
      if (c == '%' || c == ',') words.emplace_back(1, c);
    }
  }
  flush();
  return words;
}

std::optional<int> number_of(const std::string& word) {
  int value = 0;
  const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (error != std::errc() || end != word.data() + word.size()) return std::nullopt;
  return value;
}

// A phrase of one or more words and what it stands for.
struct Phrase {
  Words words;
  std::string light;              // a light's name, or
  std::optional<RgbColor> color;  // a colour, or
  std::optional<int> kelvin;      // a white
};

std::vector<Phrase> phrases_for(const std::vector<LightDefinition>& lights) {
  std::vector<Phrase> phrases;
  for (const LightDefinition& light : lights) {
    phrases.push_back({words_of(light.name), light.name, {}, {}});
    for (const std::string& alias : light.aliases) {
      phrases.push_back({words_of(alias), light.name, {}, {}});
    }
  }
  for (const std::string& name : color_names()) {
    phrases.push_back({words_of(name), {}, color_from_text(name), {}});
  }
  for (const std::string& name : white_names()) {
    phrases.push_back({words_of(name), {}, {}, white_kelvin(name)});
  }
  // Longest first, so "desk lamp" wins over "lamp" and "warm white" over "white"; a
  // light's name wins a tie.
  std::stable_sort(phrases.begin(), phrases.end(), [](const Phrase& a, const Phrase& b) {
    return a.words.size() > b.words.size();
  });
  return phrases;
}

const Phrase* phrase_at(const std::vector<Phrase>& phrases, const Words& words, std::size_t at) {
  for (const Phrase& phrase : phrases) {
    if (phrase.words.empty() || at + phrase.words.size() > words.size()) continue;
    if (std::equal(phrase.words.begin(), phrase.words.end(), words.begin() + at)) return &phrase;
  }
  return nullptr;
}

// "Sophia, turn..." and "please turn the...": the words before the command proper.
std::size_t command_start(const Words& words) {
  std::size_t start = 0;
  if (words.size() > 2 && (words[1] == "," || words[2] == ",")) start = words[1] == "," ? 2 : 3;
  while (start < words.size() && is_one_of(kPoliteWords, words[start])) ++start;
  return start;
}

// What the words ask, gathered in one pass.
struct Reading {
  std::set<std::string> named;  // lights named, "all" for every light
  bool unresolved_light = false;
  std::set<bool> power;
  std::optional<int> brightness;
  std::optional<RgbColor> color;
  std::optional<int> kelvin;
  std::optional<int> bare_number;
  bool brightness_word = false;
  std::size_t first_light_end = 0;  // where the first light's words end, if named first
};

void read_number(const Words& words, std::size_t& i, Reading& reading) {
  const std::optional<int> number = number_of(words[i]);
  const std::string next = i + 1 < words.size() ? words[i + 1] : std::string();
  if (is_one_of(kPercentWords, next)) {
    reading.brightness = number;
    ++i;
  } else if (is_one_of(kKelvinWords, next)) {
    reading.kelvin = number;
    ++i;
  } else {
    reading.bare_number = number;
  }
}

Reading read_words(const Words& words, std::size_t start,
                   const std::vector<LightDefinition>& lights) {
  const std::vector<Phrase> phrases = phrases_for(lights);
  Reading reading;
  for (std::size_t i = start; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (const Phrase* phrase = phrase_at(phrases, words, i)) {
      std::size_t end = i + phrase->words.size();
      if (!phrase->light.empty()) {
        reading.named.insert(phrase->light);
        // "the ceiling light": the generic word after a name is part of it, unless it
        // starts a phrase of its own ("the lamp light blue").
        if (end < words.size() && is_one_of(kOneLight, words[end]) &&
            phrase_at(phrases, words, end) == nullptr) {
          ++end;
        }
        if (i == start) reading.first_light_end = end;
      } else if (phrase->color) {
        reading.color = phrase->color;
      } else {
        reading.kelvin = phrase->kelvin;
      }
      i = end - 1;
    } else if (is_one_of(kEveryLight, word)) {
      reading.named.insert(std::string(kAllLights));
      if (word == "all" && i + 1 < words.size() && is_one_of(kEveryLight, words[i + 1])) ++i;
      if (i == start || (i == start + 1 && words[start] == "all")) reading.first_light_end = i + 1;
    } else if (is_one_of(kOneLight, word)) {
      if (lights.size() == 1) {
        reading.named.insert(lights.front().name);
      } else {
        reading.unresolved_light = true;
      }
      if (i == start) reading.first_light_end = i + 1;
    } else if (word == "on") {
      reading.power.insert(true);
    } else if (word == "off" || word == "out") {
      reading.power.insert(false);
    } else if (word.starts_with('#')) {
      reading.color = color_from_text(word);
      if (!reading.color) reading.unresolved_light = true;  // a colour we cannot read
    } else if (std::isdigit(static_cast<unsigned char>(word[0]))) {
      read_number(words, i, reading);
    } else if (is_one_of(kBrightnessWords, word)) {
      reading.brightness_word = true;
    }
  }
  if (!reading.brightness && reading.brightness_word) reading.brightness = reading.bare_number;
  return reading;
}

bool is_command_form(const Words& words, std::size_t start, const Reading& reading) {
  if (start >= words.size()) return false;
  if (is_one_of(kVerbs, words[start])) return true;
  // "lights off", "lamp to 30%", "lights red": a light named first, then what it should be.
  if (reading.first_light_end == 0 || reading.first_light_end >= words.size()) return false;
  const std::string& next = words[reading.first_light_end];
  return is_one_of(kAfterLeadingLight, next) || std::isdigit(static_cast<unsigned char>(next[0])) ||
         color_from_text(next) || next.starts_with('#');
}

}  // namespace

std::optional<LightCommand> parse_light_intent(std::string_view text,
                                               const std::vector<LightDefinition>& lights) {
  const Words words = words_of(text);
  if (words.empty() || lights.empty()) return std::nullopt;
  for (const std::string& word : words) {
    if (is_one_of(kNegations, word)) return std::nullopt;
  }
  const std::size_t start = command_start(words);
  if (start < words.size() && is_one_of(kQuestionWords, words[start])) return std::nullopt;
  const Reading reading = read_words(words, start, lights);
  if (!is_command_form(words, start, reading)) return std::nullopt;
  // One light (or all of them), named without doubt; one power state.
  if (reading.named.size() != 1 || reading.unresolved_light || reading.power.size() > 1) {
    return std::nullopt;
  }
  LightCommand command;
  command.light = *reading.named.begin();
  if (!reading.power.empty()) command.on = *reading.power.begin();
  command.brightness_percent = reading.brightness;
  command.color = reading.color;
  command.color_temp_kelvin = reading.kelvin;
  if (!command.on && !command.brightness_percent && !command.color && !command.color_temp_kelvin) {
    return std::nullopt;
  }
  return command;
}

}  // namespace seer::agents
