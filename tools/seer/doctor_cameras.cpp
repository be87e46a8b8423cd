// `seer doctor`: video devices (/dev/video*) and the capture modes they offer, asked of V4L2,
// and the devices the configuration's camera instances name.
#include <fcntl.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#include "doctor_checks.hpp"

namespace seer::cli::doctor {
namespace fs = std::filesystem;
namespace {

// ioctl, retried when a signal interrupts it.
int query(int fd, unsigned long request, void* argument) {
  int result = 0;
  do {
    result = ioctl(fd, request, argument);
  } while (result == -1 && errno == EINTR);
  return result;
}

std::string fourcc_text(std::uint32_t code) {
  std::string text;
  for (int shift = 0; shift < 32; shift += 8) {
    const char c = static_cast<char>((code >> shift) & 0xff);
    if (c != ' ') text += c;
  }
  return text;
}

// "YUYV 640x480 1280x720, MJPG 1920x1080" (stepwise sizes as their range).
std::string capture_modes(int fd) {
  std::string modes;
  v4l2_fmtdesc format{};
  format.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  for (format.index = 0; query(fd, VIDIOC_ENUM_FMT, &format) == 0; ++format.index) {
    modes += (modes.empty() ? "" : ", ") + fourcc_text(format.pixelformat);
    v4l2_frmsizeenum size{};
    size.pixel_format = format.pixelformat;
    for (size.index = 0; query(fd, VIDIOC_ENUM_FRAMESIZES, &size) == 0; ++size.index) {
      if (size.type == V4L2_FRMSIZE_TYPE_DISCRETE) {
        modes +=
            " " + std::to_string(size.discrete.width) + "x" + std::to_string(size.discrete.height);
      } else {
        modes += " " + std::to_string(size.stepwise.min_width) + "x" +
                 std::to_string(size.stepwise.min_height) + "-" +
                 std::to_string(size.stepwise.max_width) + "x" +
                 std::to_string(size.stepwise.max_height);
        break;
      }
    }
  }
  return modes;
}

Finding check_device(const fs::path& device) {
  const std::string subject = "camera " + device.string();
  const int fd = open(device.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == EACCES || error == EPERM) {
      return {Status::fail, subject, "permission denied",
              "add the user to the video group (`sudo adduser $USER video`, then log in "
              "again); the service has SupplementaryGroups=video"};
    }
    return {Status::fail, subject, std::string("cannot open it: ") + std::strerror(error),
            error == EBUSY ? "another program holds the camera: close it"
                           : "unplug and plug the camera in again; `dmesg` says why"};
  }
  v4l2_capability capability{};
  Finding finding;
  if (query(fd, VIDIOC_QUERYCAP, &capability) != 0) {
    finding = {Status::warn, subject, "not a V4L2 device", {}};
  } else {
    const std::uint32_t caps = (capability.capabilities & V4L2_CAP_DEVICE_CAPS)
                                   ? capability.device_caps
                                   : capability.capabilities;
    const std::string card = reinterpret_cast<const char*>(capability.card);
    if (!(caps & V4L2_CAP_VIDEO_CAPTURE)) {
      // UVC webcams have a second node per camera for metadata.
      finding = {Status::ok, subject, card + ": not a capture node (metadata), skip it", {}};
    } else {
      const std::string modes = capture_modes(fd);
      finding = {
          Status::ok, subject, card + ": " + (modes.empty() ? "no modes listed" : modes), {}};
    }
  }
  close(fd);
  return finding;
}

std::vector<fs::path> video_devices() {
  std::vector<fs::path> devices;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/dev", error)) {
    if (entry.path().filename().string().starts_with("video")) devices.push_back(entry.path());
  }
  std::sort(devices.begin(), devices.end());
  return devices;
}

}  // namespace

Findings check_cameras(const RuntimeConfig* config) {
  Findings findings;
  const auto devices = video_devices();
  for (const auto& device : devices) findings.push_back(check_device(device));
  if (devices.empty()) {
    findings.push_back({Status::warn, "camera",
                        "no camera: there is no /dev/video* device on this machine",
                        "plug a webcam in (`ls -l /dev/video*` shows it); in a VM or a "
                        "container, pass the device through (docker run --device /dev/video0)"});
  }
  if (!config) return findings;
  // The camera instances of the configuration: a device number or path must exist.
  for (const auto& instance : config->plugins) {
    if (instance.plugin != "camera" || !instance.enabled) continue;
    const ConfigNode source = instance.section["source"];
    const std::string device = source["device"].string_or("");
    if (device.empty()) continue;  // a URL or an image folder: nothing to find in /dev
    const fs::path path = device.find_first_not_of("0123456789") == std::string::npos
                              ? "/dev/video" + device
                              : device;
    std::error_code error;
    if (!fs::exists(path, error)) {
      findings.push_back({Status::fail, "camera '" + instance.instance + "'",
                          "the configuration names " + path.string() + ", which does not exist",
                          "plug the camera in, or set source.device to one listed above"});
    }
  }
  return findings;
}

}  // namespace seer::cli::doctor
