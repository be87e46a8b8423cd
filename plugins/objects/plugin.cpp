#include "objects_plugin.hpp"

SEER_PLUGIN(seer::objects::ObjectsPlugin, "objects", "1.0.0",
            "Finds objects in images: YOLOv8 via OpenCV dnn, or a simulated Hailo-8L (stub)")
