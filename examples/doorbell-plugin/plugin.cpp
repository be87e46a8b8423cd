// The one exported entry point of the library: seer_plugin_v1().
#include "doorbell_plugin.hpp"

SEER_PLUGIN(doorbell::DoorbellPlugin, "doorbell", "1.0.0",
            "A webhook (POST /ring) that publishes a doorbell event on the bus")
