#include "faces_plugin.hpp"

SEER_PLUGIN(seer::faces::FacesPlugin, "faces", "1.0.0",
            "Finds faces in images (Haar cascade or BlazeFace) as a seer.face_detector service")
