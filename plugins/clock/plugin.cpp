#include "clock_plugin.hpp"

SEER_PLUGIN(seer::clock::ClockPlugin, "clock", "1.0.0",
            "Publishes clock ticks and cron schedules on the bus")
