#include <dlfcn.h>

#include "camera_plugin.hpp"

SEER_PLUGIN(seer::camera::CameraPlugin, "camera", "1.0.0",
            "Frames from a webcam, video file, RTSP/MJPEG stream or slideshow; motion detection")

namespace {

// OpenCV's video backends (GStreamer, FFmpeg) register GLib types and global state that can
// never be torn down, so unloading them is unsafe: once loaded, this library stays loaded.
const char kInThisLibrary = 0;

__attribute__((constructor)) void pin_camera_plugin() {
  Dl_info info{};
  if (dladdr(&kInThisLibrary, &info) != 0 && info.dli_fname) {
    dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
  }
}

}  // namespace
