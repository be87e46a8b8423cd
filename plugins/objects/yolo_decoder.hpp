#pragma once
// Turning YOLOv8 detector outputs into boxes, in the detector's input pixels:
//  - the raw ONNX head, [1, 4 + classes, anchors]: per anchor cx, cy, w, h, then one score per
//    class (already sigmoid-activated by the export), thresholded and NMS'ed class by class;
//  - HailoRT's NMS-by-class output (HAILO_NMS_BY_CLASS): for each class a float count n, then
//    n × [y_min, x_min, y_max, x_max, score], coordinates normalised to the input.

#include <span>
#include <vector>

namespace seer::objects {

// A box by corners in detector-input pixels.
struct ModelDetection {
  int class_id = -1;
  float score = 0;
  float x_min = 0;
  float y_min = 0;
  float x_max = 0;
  float y_max = 0;
};

struct DecodeThresholds {
  float score = 0.25f;  // lowest class score kept
  float nms = 0.45f;    // IoU above which the weaker box of the same class is dropped
};

// `output` holds channels × anchors floats, channel-major (the ONNX tensor [1, C, N]). Each
// anchor contributes its best class only, as YOLOv8's own post-processing does. Highest score
// first. Throws std::invalid_argument when the sizes do not fit.
std::vector<ModelDetection> decode_yolov8_raw(std::span<const float> output, int channels,
                                              int anchors, const DecodeThresholds& thresholds);

// Parses the whole buffer (num_classes groups). Boxes under `score_threshold` are dropped;
// coordinates are scaled to input pixels. Highest score first. Throws std::invalid_argument
// when a count is negative, not whole, or runs past the end of the buffer.
std::vector<ModelDetection> decode_hailo_nms_by_class(std::span<const float> output,
                                                      int num_classes, float score_threshold,
                                                      int input_width, int input_height);

// Non-maximum suppression within each class; the result is sorted by score, highest first.
std::vector<ModelDetection> class_wise_nms(std::vector<ModelDetection> detections,
                                           float iou_threshold);

}  // namespace seer::objects
