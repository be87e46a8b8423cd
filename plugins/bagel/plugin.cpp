#include "bagel_plugin.hpp"

SEER_PLUGIN(seer::bagel::BagelPlugin, "bagel", "1.0.0",
            "BAGEL-7B-MoT in-process (libtorch): vision-language and chat model")
