#include "yolo_decoder.hpp"

#include <opencv2/dnn.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>

namespace seer::objects {
namespace {

void sort_by_score(std::vector<ModelDetection>& detections) {
  std::stable_sort(
      detections.begin(), detections.end(),
      [](const ModelDetection& a, const ModelDetection& b) { return a.score > b.score; });
}

}  // namespace

std::vector<ModelDetection> decode_yolov8_raw(std::span<const float> output, int channels,
                                              int anchors, const DecodeThresholds& thresholds) {
  if (channels < 5 || anchors < 1 ||
      output.size() != static_cast<std::size_t>(channels) * static_cast<std::size_t>(anchors)) {
    throw std::invalid_argument("YOLOv8 output: expected " + std::to_string(channels) + " x " +
                                std::to_string(anchors) + " floats with at least 5 channels, got " +
                                std::to_string(output.size()));
  }
  const auto at = [&](int channel, int anchor) {
    return output[static_cast<std::size_t>(channel) * static_cast<std::size_t>(anchors) +
                  static_cast<std::size_t>(anchor)];
  };
  std::vector<ModelDetection> candidates;
  for (int anchor = 0; anchor < anchors; ++anchor) {
    int best_class = 0;
    float best_score = at(4, anchor);
    for (int channel = 5; channel < channels; ++channel) {
      if (at(channel, anchor) > best_score) {
        best_score = at(channel, anchor);
        best_class = channel - 4;
      }
    }
    if (!(best_score >= thresholds.score)) continue;  // also drops NaN
    const float cx = at(0, anchor);
    const float cy = at(1, anchor);
    const float w = at(2, anchor);
    const float h = at(3, anchor);
    candidates.push_back({best_class, best_score, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2});
  }
  return class_wise_nms(std::move(candidates), thresholds.nms);
}

std::vector<ModelDetection> decode_hailo_nms_by_class(std::span<const float> output,
                                                      int num_classes, float score_threshold,
                                                      int input_width, int input_height) {
  constexpr std::size_t kBoxFloats = 5;
  std::vector<ModelDetection> detections;
  std::size_t offset = 0;
  for (int class_id = 0; class_id < num_classes; ++class_id) {
    if (offset >= output.size()) {
      throw std::invalid_argument("Hailo NMS output: ends before class " +
                                  std::to_string(class_id) + " of " + std::to_string(num_classes));
    }
    const float count_value = output[offset++];
    if (!(count_value >= 0) || count_value != std::floor(count_value) ||
        count_value * kBoxFloats > static_cast<float>(output.size() - offset)) {
      throw std::invalid_argument("Hailo NMS output: class " + std::to_string(class_id) +
                                  " claims " + std::to_string(count_value) + " boxes, " +
                                  std::to_string((output.size() - offset) / kBoxFloats) +
                                  " fit in what is left of the buffer");
    }
    const auto count = static_cast<std::size_t>(count_value);
    for (std::size_t i = 0; i < count; ++i, offset += kBoxFloats) {
      const float score = output[offset + 4];
      if (!(score >= score_threshold)) continue;
      detections.push_back({class_id, score, output[offset + 1] * static_cast<float>(input_width),
                            output[offset] * static_cast<float>(input_height),
                            output[offset + 3] * static_cast<float>(input_width),
                            output[offset + 2] * static_cast<float>(input_height)});
    }
  }
  sort_by_score(detections);
  return detections;
}

std::vector<ModelDetection> class_wise_nms(std::vector<ModelDetection> detections,
                                           float iou_threshold) {
  std::map<int, std::vector<std::size_t>> by_class;
  for (std::size_t i = 0; i < detections.size(); ++i) {
    by_class[detections[i].class_id].push_back(i);
  }
  std::vector<ModelDetection> kept;
  for (const auto& [class_id, members] : by_class) {
    std::vector<cv::Rect2d> boxes;
    std::vector<float> scores;
    for (std::size_t i : members) {
      const ModelDetection& d = detections[i];
      boxes.emplace_back(d.x_min, d.y_min, d.x_max - d.x_min, d.y_max - d.y_min);
      // NMSBoxes drops scores not above its threshold (which must be >= 0); the callers have
      // thresholded already, so non-positive scores only rank last.
      scores.push_back(std::max(d.score, std::numeric_limits<float>::min()));
    }
    std::vector<int> survivors;
    cv::dnn::NMSBoxes(boxes, scores, 0.0f, iou_threshold, survivors);
    for (int index : survivors)
      kept.push_back(detections[members[static_cast<std::size_t>(index)]]);
  }
  sort_by_score(kept);
  return kept;
}

}  // namespace seer::objects
