// A shared library named like a plugin that exports no seer_plugin_v1.
extern "C" int seer_not_a_plugin() { return 42; }
