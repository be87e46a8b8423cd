#include "coco_labels.hpp"

#include <fstream>
#include <stdexcept>

namespace seer::objects {

const std::vector<std::string>& coco80_labels() {
  static const std::vector<std::string> labels{"person",        "bicycle",      "car",
                                               "motorcycle",    "airplane",     "bus",
                                               "train",         "truck",        "boat",
                                               "traffic light", "fire hydrant", "stop sign",
                                               "parking meter", "bench",        "bird",
                                               "cat",           "dog",          "horse",
                                               "sheep",         "cow",          "elephant",
                                               "bear",          "zebra",        "giraffe",
                                               "backpack",      "umbrella",     "handbag",
                                               "tie",           "suitcase",     "frisbee",
                                               "skis",          "snowboard",    "sports ball",
                                               "kite",          "baseball bat", "baseball glove",
                                               "skateboard",    "surfboard",    "tennis racket",
                                               "bottle",        "wine glass",   "cup",
                                               "fork",          "knife",        "spoon",
                                               "bowl",          "banana",       "apple",
                                               "sandwich",      "orange",       "broccoli",
                                               "carrot",        "hot dog",      "pizza",
                                               "donut",         "cake",         "chair",
                                               "couch",         "potted plant", "bed",
                                               "dining table",  "toilet",       "tv",
                                               "laptop",        "mouse",        "remote",
                                               "keyboard",      "cell phone",   "microwave",
                                               "oven",          "toaster",      "sink",
                                               "refrigerator",  "book",         "clock",
                                               "vase",          "scissors",     "teddy bear",
                                               "hair drier",    "toothbrush"};
  return labels;
}

std::vector<std::string> read_labels_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("labels file '" + path.string() + "' cannot be read");
  std::vector<std::string> labels;
  std::string line;
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    const auto last = line.find_last_not_of(" \t\r");
    labels.push_back(line.substr(first, last - first + 1));
  }
  if (labels.empty()) throw std::runtime_error("labels file '" + path.string() + "' is empty");
  return labels;
}

}  // namespace seer::objects
