#include "camera_plugin.hpp"

SEER_PLUGIN(seer::camera::CameraPlugin, "camera", "1.0.0",
            "Frames from a webcam, video file, RTSP/MJPEG stream or slideshow; motion detection")
