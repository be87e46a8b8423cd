// Finding the pipeline's services in the registry by interface and, where asked, by name.
#include <seer/agents/vision_report_pipeline.hpp>

#include <stdexcept>
#include <string>

namespace seer::agents {
namespace {

template <typename Interface>
std::shared_ptr<Interface> find_service(const ServiceRegistry& registry, const std::string& name,
                                        std::string_view role) {
  if (!name.empty()) {
    auto service = registry.find<Interface>(name);
    if (!service) {
      throw std::invalid_argument("vision report: no " + std::string(Interface::interface_id) +
                                  " service named '" + name + "' for report.services." +
                                  std::string(role));
    }
    return service;
  }
  const auto names = registry.names<Interface>();
  if (names.empty()) return nullptr;
  if (names.size() > 1) {
    std::string listed;
    for (const auto& each : names) listed += (listed.empty() ? "'" : ", '") + each + "'";
    throw std::invalid_argument("vision report: several " + std::string(Interface::interface_id) +
                                " services (" + listed + "); name one in report.services." +
                                std::string(role));
  }
  return registry.find<Interface>(names.front());
}

}  // namespace

VisionReportServices find_vision_report_services(const ServiceRegistry& registry,
                                                 const VisionReportServiceNames& names) {
  VisionReportServices services;
  services.face_detector =
      find_service<FaceDetector>(registry, names.face_detector, "face_detector");
  services.emotion_reader =
      find_service<EmotionReader>(registry, names.emotion_reader, "emotion_reader");
  services.object_detector =
      find_service<ObjectDetector>(registry, names.object_detector, "object_detector");
  services.vision_language_model = find_service<VisionLanguageModel>(
      registry, names.vision_language_model, "vision_language_model");
  services.camera = find_service<Camera>(registry, names.camera, "camera");
  return services;
}

}  // namespace seer::agents
