// Times `seer report`'s pipeline as the command runs it (the built-in configs/report.yaml,
// the real plugins) on grace_hopper.jpg letterboxed into a 1280x720 frame: the median of each
// stage and of the whole report, and the process CPU time per report, which stays meaningful
// on a shared machine. Usage: seer-vision-report-timing [reports=20] [write-frame-to.png]
#include <seer/agents/default_report_config.hpp>
#include <seer/agents/vision_report_pipeline.hpp>
#include <seer/host/runtime.hpp>
#include <seer/image_io.hpp>

#include <sys/resource.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "test_assets.hpp"

namespace {

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

cv::Mat letterboxed_grace_hopper() {
  const cv::Mat photo = cv::imread((seer::test::assets_dir() / "photos/grace_hopper.jpg").string());
  if (photo.empty()) throw std::runtime_error("photos/grace_hopper.jpg is missing");
  cv::Mat frame(720, 1280, CV_8UC3, cv::Scalar::all(0));
  photo.copyTo(
      frame(cv::Rect((1280 - photo.cols) / 2, (720 - photo.rows) / 2, photo.cols, photo.rows)));
  return frame;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0 : values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  using namespace seer;
  const int reports = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
  const cv::Mat frame = letterboxed_grace_hopper();
  if (argc > 2) cv::imwrite(argv[2], frame);

  std::vector<ConfigDiagnostic> diagnostics;
  const ConfigNode root = ConfigNode::load_string(agents::kDefaultReportConfig, "report.yaml");
  Runtime runtime(read_runtime_config(root, diagnostics), PluginLoader({SEER_PLUGIN_BUILD_DIR}));
  const auto found = runtime.prepare();
  diagnostics.insert(diagnostics.end(), found.begin(), found.end());
  for (const auto& diagnostic : diagnostics) {
    // `report:` is the pipeline's section, not the runtime's.
    if (diagnostic.key_path != "report") {
      std::fprintf(stderr, "%s\n", diagnostic.to_string().c_str());
    }
  }
  runtime.start();
  agents::VisionReportPipeline pipeline(agents::find_vision_report_services(runtime.registry(), {}),
                                        agents::read_vision_report_options(root["report"]));
  const Image image = image_io::image_from_mat(frame.clone());

  pipeline.run(image);  // warm-up: first-call allocations in OpenCV and libtorch
  std::map<std::string, std::vector<double>> stages;
  const double cpu_start = cpu_seconds();
  for (int i = 0; i < reports; ++i) {
    const agents::VisionReport report = pipeline.run(image);
    for (const auto& [stage, ms] : report.timings_ms) stages[stage].push_back(ms);
  }
  const double cpu_per_report = (cpu_seconds() - cpu_start) * 1000 / reports;
  runtime.stop();

  std::printf("%d reports of a 1280x720 frame (grace_hopper.jpg letterboxed)\n", reports);
  for (const char* stage : {"faces", "crop", "emotion", "overhead", "total"}) {
    std::printf("  %-9s median %7.1f ms\n", stage, median(stages[stage]));
  }
  std::printf("  process CPU per report %.1f ms\n", cpu_per_report);
  return 0;
}
