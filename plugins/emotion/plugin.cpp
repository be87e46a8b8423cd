#include "emotion_plugin.hpp"

SEER_PLUGIN(seer::emotion::EmotionPlugin, "emotion", "1.0.0",
            "Reads the expression of a face crop (face-api FaceExpressionNet)")
