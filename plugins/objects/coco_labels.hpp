#pragma once
// Class names for detector outputs: COCO's 80 in YOLO's order, or a labels file.

#include <filesystem>
#include <string>
#include <vector>

namespace seer::objects {

// person, bicycle, car, ... toothbrush: COCO's names in the order YOLOv8 and Hailo's model zoo
// use (darknet's coco.names spells six of them differently: motorbike, aeroplane, sofa, ...).
const std::vector<std::string>& coco80_labels();

// One label per line (as darknet's coco.names); surrounding whitespace trimmed, blank lines
// skipped. Throws std::runtime_error naming the file when it is unreadable or has no labels.
std::vector<std::string> read_labels_file(const std::filesystem::path& path);

}  // namespace seer::objects
